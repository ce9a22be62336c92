import { test } from 'node:test'
import assert from 'node:assert/strict'
import { TerminalError } from '../../../common/errors.js'
import { loadConfig } from '../../../common/config/load.js'
import { flattenFlow } from '../../engine/flow.js'
import { flowForOperation } from '../flow-for-operation.js'
import type { Operation } from '../../../bus/operations.js'
import { createProviderRegistry } from '../registry.js'
import { createNoopProviderDriver } from './noop-provider-driver.js'

/** The composition of every noop flow (STYLE.md R5: tests assert what each flow does). */
const expected: Record<Operation, string[]> = {
  loadbalancer_create: ['load-balancer-to-error-on-revert', 'create-amphorae', 'configure-load-balancer', 'mark-load-balancer-children-active', 'mark-load-balancer-active'],
  loadbalancer_update: ['load-balancer-to-error-on-revert', 'update-load-balancer', 'mark-load-balancer-active'],
  loadbalancer_delete: ['load-balancer-to-error-on-revert', 'delete-amphorae-data-plane', 'delete-load-balancer-children', 'release-vip', 'delete-amphorae', 'mark-load-balancer-deleted'],
  loadbalancer_failover: ['load-balancer-to-error-on-revert', 'failover-amphorae', 'mark-load-balancer-active'],
  listener_create: ['listener-to-error-on-revert', 'update-listeners', 'mark-listener-active', 'mark-parents-active'],
  listener_update: ['listener-to-error-on-revert', 'update-listeners', 'mark-listener-active', 'mark-parents-active'],
  listener_delete: ['listener-to-error-on-revert', 'remove-listener', 'delete-listener', 'mark-parents-active'],
  pool_create: ['pool-to-error-on-revert', 'update-listeners', 'mark-pool-active', 'mark-parents-active'],
  pool_update: ['pool-to-error-on-revert', 'update-listeners', 'mark-pool-active', 'mark-parents-active'],
  pool_delete: ['pool-to-error-on-revert', 'update-listeners', 'delete-pool', 'mark-parents-active'],
  member_create: ['member-to-error-on-revert', 'update-members', 'mark-member-active', 'mark-parents-active'],
  member_update: ['member-to-error-on-revert', 'update-members', 'mark-member-active', 'mark-parents-active'],
  member_delete: ['member-to-error-on-revert', 'update-members', 'delete-member', 'mark-parents-active'],
  member_batch_update: ['members-to-error-on-revert', 'update-members', 'delete-members', 'mark-members-active', 'mark-parents-active'],
  health_monitor_create: ['health-monitor-to-error-on-revert', 'update-listeners', 'mark-health-monitor-active', 'mark-parents-active'],
  health_monitor_update: ['health-monitor-to-error-on-revert', 'update-listeners', 'mark-health-monitor-active', 'mark-parents-active'],
  health_monitor_delete: ['health-monitor-to-error-on-revert', 'update-listeners', 'delete-health-monitor', 'mark-parents-active'],
  l7policy_create: ['l7policy-to-error-on-revert', 'update-listeners', 'mark-l7policy-active', 'mark-parents-active'],
  l7policy_update: ['l7policy-to-error-on-revert', 'update-listeners', 'mark-l7policy-active', 'mark-parents-active'],
  l7policy_delete: ['l7policy-to-error-on-revert', 'update-listeners', 'delete-l7policy', 'mark-parents-active'],
  l7rule_create: ['l7rule-to-error-on-revert', 'update-listeners', 'mark-l7rule-active', 'mark-parents-active'],
  l7rule_update: ['l7rule-to-error-on-revert', 'update-listeners', 'mark-l7rule-active', 'mark-parents-active'],
  l7rule_delete: ['l7rule-to-error-on-revert', 'update-listeners', 'delete-l7rule', 'mark-parents-active'],
  failover_amphora: ['amphora-failover-to-error-on-revert', 'failover-amphora', 'mark-load-balancer-active'],
  delete_amphora: ['amphora-delete-to-error-on-revert', 'delete-amphora-compute', 'delete-amphora'],
  update_amphora_agent_config: ['amphora-config-lifecycle', 'update-amphora-agent-config'],
}

test('when asked for each operation, then the noop driver composes the expected flow, lifecycle task first', () => {
  const driver = createNoopProviderDriver({ task_delay_ms: 0 })
  for (const [op, names] of Object.entries(expected)) {
    assert.deepEqual(flattenFlow(flowForOperation(driver, op, {})).map(t => t.name), names, op)
  }
})

test('when task_delay_ms is set, then the flows keep their tasks (each delayed)', () => {
  const driver = createNoopProviderDriver({ task_delay_ms: 5 })
  assert.deepEqual(flattenFlow(driver.operations.pool_create({ poolId: 'p' })).map(t => t.name), expected.pool_create)
})

test('when the operation is unknown, then flowForOperation throws TerminalError', () => {
  assert.throws(() => flowForOperation(createNoopProviderDriver({ task_delay_ms: 0 }), 'nope', {}), TerminalError)
})

test('when the noop driver is asked for metadata, then it answers as Octavia\'s noop driver and accepts any', () => {
  const driver = createNoopProviderDriver({ task_delay_ms: 0 })
  assert.deepEqual(Object.keys(driver.flavorMetadata), ['amp_image_tag'])
  assert.deepEqual(Object.keys(driver.availabilityZoneMetadata), ['compute_zone', 'volume_zone'])
  assert.doesNotThrow(() => driver.validateFlavor({ anything: 1 }))
  assert.doesNotThrow(() => driver.validateAvailabilityZone({ anything: 1 }))
})

test('when providers are enabled in the config, then the registry builds the known ones and rejects the rest with TerminalError', () => {
  const unknown: string[] = []
  const config = loadConfig(undefined, { OCTAVIA_TS__api_settings__enabled_provider_drivers: 'noop_driver:The no-op driver.,fancy:Not here.' })
  const registry = createProviderRegistry(config, n => unknown.push(n))
  assert.deepEqual(registry.names, ['noop_driver'])
  assert.deepEqual(unknown, ['fancy'])
  assert.equal(registry.get('noop_driver').name, 'noop_driver')
  assert.throws(() => registry.get('fancy'), TerminalError)
  assert.equal(registry.has('fancy'), false)
})
