/**
 * DESIGN.md §2: every value the API accepts renders into a configuration the
 * data plane accepts. Each bounded field of src/model/*-fields.ts that the
 * renderer writes is set to its minimum and its maximum: the configuration
 * renders and `haproxy -dW -c` accepts it. One past either bound (which the
 * API refuses) is a RenderError.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { RenderError } from '../../../src/drivers/amphora/haproxy/render-error.js'
import { renderHaproxyConfig } from '../../../src/drivers/amphora/haproxy/render-haproxy-config.js'
import type { FieldRange } from '../../../src/model/field-range.js'
import { HEALTH_MONITOR_FIELDS } from '../../../src/model/health-monitor-fields.js'
import { LISTENER_FIELDS } from '../../../src/model/listener-fields.js'
import type { LoadBalancerView } from '../../../src/model/load-balancer-view.js'
import { MEMBER_FIELDS } from '../../../src/model/member-fields.js'
import { haproxyCheckAll, haproxyMissing } from './haproxy-binary.js'
import { GOLDEN_OPTIONS, healthMonitor, listener, loadBalancer, member, pool } from './view-builders.js'

interface BoundedField {
  readonly name: string
  readonly range: FieldRange
  /** A load balancer whose only unusual value is `value` in this field. */
  readonly build: (value: number) => LoadBalancerView
}

const withMember = (o: Parameters<typeof member>[1]) =>
  loadBalancer({ pools: [pool(1, { members: [member(1, o)], healthMonitor: healthMonitor(1) })] })
const withListener = (o: Parameters<typeof listener>[1]) => loadBalancer({ listeners: [listener(1, o)] })
const withMonitor = (o: Parameters<typeof healthMonitor>[1]) =>
  loadBalancer({ pools: [pool(1, { healthMonitor: healthMonitor(1, o) })] })

const FIELDS: readonly BoundedField[] = [
  { name: 'member protocol_port', range: MEMBER_FIELDS.protocol_port, build: (v) => withMember({ protocolPort: v }) },
  { name: 'member monitor_port', range: MEMBER_FIELDS.monitor_port, build: (v) => withMember({ monitorPort: v }) },
  { name: 'member weight', range: MEMBER_FIELDS.weight, build: (v) => withMember({ weight: v }) },
  { name: 'listener protocol_port', range: LISTENER_FIELDS.protocol_port, build: (v) => withListener({ protocolPort: v }) },
  { name: 'listener connection_limit', range: LISTENER_FIELDS.connection_limit, build: (v) => withListener({ connectionLimit: v }) },
  { name: 'listener timeout_client_data', range: LISTENER_FIELDS.timeout_client_data, build: (v) => withListener({ timeoutClientData: v }) },
  { name: 'listener timeout_member_connect', range: LISTENER_FIELDS.timeout_member_connect, build: (v) => withListener({ timeoutMemberConnect: v }) },
  { name: 'listener timeout_member_data', range: LISTENER_FIELDS.timeout_member_data, build: (v) => withListener({ timeoutMemberData: v }) },
  { name: 'listener timeout_tcp_inspect', range: LISTENER_FIELDS.timeout_tcp_inspect, build: (v) => withListener({ timeoutTcpInspect: v }) },
  { name: 'health monitor delay', range: HEALTH_MONITOR_FIELDS.delay, build: (v) => withMonitor({ delay: v }) },
  { name: 'health monitor timeout', range: HEALTH_MONITOR_FIELDS.timeout, build: (v) => withMonitor({ timeout: v }) },
  { name: 'health monitor max_retries', range: HEALTH_MONITOR_FIELDS.max_retries, build: (v) => withMonitor({ maxRetries: v }) },
  { name: 'health monitor max_retries_down', range: HEALTH_MONITOR_FIELDS.max_retries_down, build: (v) => withMonitor({ maxRetriesDown: v }) },
]

test('when a bounded field holds its minimum or maximum, then HAProxy accepts the configuration', async (t) => {
  const rendered = FIELDS.flatMap((f) => [f.range.min, f.range.max].map((v) => ({
    what: `${f.name} = ${v}`, text: renderHaproxyConfig(f.build(v), GOLDEN_OPTIONS),
  })))
  if (haproxyMissing !== false) { t.diagnostic(haproxyMissing); return }
  const results = await haproxyCheckAll(rendered.map((r) => r.text))
  results.forEach((r, i) => assert.ok(r.ok, `${rendered[i]?.what}:\n${r.output}`))
})

test('when a bounded field is one past its range, then the renderer refuses it', () => {
  for (const f of FIELDS) {
    for (const v of [f.range.min - 1, f.range.max + 1]) {
      assert.throws(() => renderHaproxyConfig(f.build(v), GOLDEN_OPTIONS), RenderError, `${f.name} = ${v}`)
    }
  }
})

test('when a field has a default, then it lies within its range', () => {
  for (const fields of [MEMBER_FIELDS, LISTENER_FIELDS, HEALTH_MONITOR_FIELDS]) {
    for (const [name, range] of Object.entries(fields) as [string, FieldRange][]) {
      if (range.default === undefined) continue
      assert.ok(range.default >= range.min && range.default <= range.max, name)
    }
  }
})
