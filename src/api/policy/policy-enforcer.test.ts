import assert from 'node:assert/strict'
import { fileURLToPath } from 'node:url'
import { test } from 'node:test'
import type { Caller } from '../auth/caller.js'
import { policyCredentials } from '../auth/policy-credentials.js'
import { API_RULES, octaviaDefaultRules } from './default-rules.js'
import { PolicyEnforcer } from './policy-enforcer.js'
import { readPolicyFile } from './policy-file.js'
import { PolicyRuleError } from './rule-parser.js'

const P = 'project-p'
const Q = 'project-q'
const caller = (projectId: string, ...roles: string[]): Caller => ({ projectId, roles, isAdmin: false, userId: 'u' })

/** Which of the role rules pass for `c` on an object of project P. */
function baseRules(enforcer: PolicyEnforcer, c: Caller): Record<string, boolean> {
  const creds = policyCredentials(c, enforcer)
  const names = ['read', 'read-global', 'write', 'read-quota', 'read-quota-global', 'write-quota', 'admin']
  return Object.fromEntries(names.map(n => [n, enforcer.enforce(`load-balancer:${n}`, { project_id: P }, creds)]))
}

const row = (read: boolean, readGlobal: boolean, write: boolean, readQuota: boolean, readQuotaGlobal: boolean, writeQuota: boolean, admin: boolean) =>
  ({ read, 'read-global': readGlobal, write, 'read-quota': readQuota, 'read-quota-global': readQuotaGlobal, 'write-quota': writeQuota, admin })

test('when the defaults apply, then Keystone\'s reader, member and admin roles get Octavia\'s access and nothing else does', () => {
  const e = new PolicyEnforcer(octaviaDefaultRules())
  assert.deepEqual(baseRules(e, caller(P, 'reader')), row(true, false, false, true, false, false, false))
  assert.deepEqual(baseRules(e, caller(P, 'member')), row(true, false, true, true, false, false, false))
  assert.deepEqual(baseRules(e, caller(Q, 'member', 'reader')), row(false, false, false, false, false, false, false))
  assert.deepEqual(baseRules(e, caller(Q, 'admin')), row(true, true, true, true, true, true, true))
  assert.deepEqual(baseRules(e, caller(P)), row(false, false, false, false, false, false, false))
  for (const advanced of ['load-balancer_member', 'load-balancer_observer', 'load-balancer_global_observer', 'load-balancer_quota_admin', 'load-balancer_admin']) {
    assert.deepEqual(baseRules(e, caller(P, advanced)), row(false, false, false, false, false, false, false), advanced)
  }
})

test('when enforce_new_defaults is false, then the deprecated load-balancer_* roles pass too', () => {
  const e = new PolicyEnforcer(octaviaDefaultRules(), { enforceNewDefaults: false })
  assert.deepEqual(baseRules(e, caller(P, 'load-balancer_observer')), row(true, false, false, true, false, false, false))
  assert.deepEqual(baseRules(e, caller(P, 'load-balancer_member')), row(true, false, true, true, false, false, false))
  assert.deepEqual(baseRules(e, caller(Q, 'load-balancer_member')), row(false, false, false, false, false, false, false))
  assert.deepEqual(baseRules(e, caller(Q, 'load-balancer_global_observer')), row(true, true, false, true, true, false, false))
  assert.deepEqual(baseRules(e, caller(Q, 'load-balancer_quota_admin')), row(false, false, false, true, true, true, false))
  assert.deepEqual(baseRules(e, caller(Q, 'load-balancer_admin')), row(true, true, true, true, true, true, true))
  assert.deepEqual(baseRules(e, caller(P, 'member')), row(true, false, true, true, false, false, false), 'the new defaults still pass')
})

test('when the advanced RBAC policy file is loaded, then the load-balancer_* roles replace reader/member', () => {
  const file = fileURLToPath(new URL('../../../docs/policy/advanced-rbac-policy.yaml', import.meta.url))
  const e = new PolicyEnforcer(octaviaDefaultRules(), { overrides: readPolicyFile(file) })
  assert.deepEqual(baseRules(e, caller(P, 'load-balancer_observer')), row(true, false, false, true, false, false, false))
  assert.deepEqual(baseRules(e, caller(P, 'load-balancer_member')), row(true, false, true, true, false, false, false))
  assert.deepEqual(baseRules(e, caller(Q, 'load-balancer_global_observer')), row(true, true, false, true, true, false, false))
  assert.deepEqual(baseRules(e, caller(Q, 'load-balancer_quota_admin')), row(false, false, false, true, true, true, false))
  assert.deepEqual(baseRules(e, caller(Q, 'load-balancer_admin')), row(true, true, true, true, true, true, true))
  assert.deepEqual(baseRules(e, caller(Q, 'admin')), row(true, true, true, true, true, true, true))
  assert.deepEqual(baseRules(e, caller(P, 'member', 'reader')), row(false, false, false, false, false, false, false))
})

test('when the API rules are registered, then each maps to Octavia\'s role rule', () => {
  const e = new PolicyEnforcer(octaviaDefaultRules())
  const names = e.ruleNames()
  for (const [resource, actions] of Object.entries(API_RULES)) {
    for (const action of Object.keys(actions)) assert.ok(names.includes(`os_load-balancer_api:${resource}:${action}`))
  }
  const check = (name: string, c: Caller, project = P) => e.enforce(`os_load-balancer_api:${name}`, { project_id: project }, policyCredentials(c, e))
  assert.equal(check('loadbalancer:put_failover', caller(P, 'member')), false, 'failover is admin only')
  assert.equal(check('loadbalancer:put_failover', caller(Q, 'admin')), true)
  assert.equal(check('member:get_all', caller(Q, 'service')), true, 'the service role lists members (Aodh)')
  assert.equal(check('pool:get_all', caller(Q, 'service')), false)
  assert.equal(check('flavor:get_one', caller(P, 'reader')), true)
  assert.equal(check('flavor:post', caller(P, 'member')), false)
  assert.equal(check('flavor-profile:get_all', caller(P, 'member')), false)
  assert.equal(check('amphora:get_all', caller(P, 'member')), false)
  assert.equal(check('provider-flavor:get_all', caller(P, 'member')), false)
  assert.equal(check('provider:get_all', caller(P, 'reader')), true)
  assert.equal(check('quota:put', caller(P, 'member')), false)
  assert.equal(check('quota:get_defaults', caller(P, 'reader')), true)
  assert.throws(() => e.enforce('os_load-balancer_api:nothing:get', {}, {}), /not registered/)
})

test('when noauth makes the caller admin, then is_admin:True passes every rule', () => {
  const e = new PolicyEnforcer(octaviaDefaultRules())
  const creds = policyCredentials({ projectId: 'default', roles: [], isAdmin: true, userId: null }, e)
  assert.equal(creds.is_admin, true)
  for (const rule of octaviaDefaultRules().filter(r => r.name.startsWith('os_load-balancer_api:'))) {
    assert.equal(e.enforce(rule.name, { project_id: 'anyone' }, creds), true, rule.name)
  }
})

test('when a policy file overrides a rule, then the override applies and a new rule can be referenced', () => {
  const e = new PolicyEnforcer(octaviaDefaultRules(), {
    overrides: {
      'os_load-balancer_api:loadbalancer:put_failover': 'rule:load-balancer:write',
      'os_load-balancer_api:loadbalancer:delete': 'rule:nobody',
      nobody: '!',
    },
  })
  const creds = policyCredentials(caller(P, 'member'), e)
  assert.equal(e.enforce('os_load-balancer_api:loadbalancer:put_failover', { project_id: P }, creds), true)
  assert.equal(e.enforce('os_load-balancer_api:loadbalancer:delete', { project_id: P }, creds), false)
  assert.equal(e.enforce('os_load-balancer_api:loadbalancer:put', { project_id: P }, creds), true)
})

test('when an override is not a valid rule or rules form a cycle, then construction throws naming the rule', () => {
  assert.throws(() => new PolicyEnforcer(octaviaDefaultRules(), { overrides: { 'load-balancer:write': 'role:member and' }, source: '/etc/p.yaml' }),
    (err: unknown) => err instanceof PolicyRuleError
      && err.message === 'invalid policy rule "load-balancer:write" in /etc/p.yaml: unexpected end of rule in "role:member and"')
  assert.throws(() => new PolicyEnforcer(octaviaDefaultRules(), { overrides: { a: 'rule:b', b: 'rule:a or role:x', 'load-balancer:read': 'rule:a' } }),
    /policy rules refer to each other in a cycle: .*a → b → a/)
})
