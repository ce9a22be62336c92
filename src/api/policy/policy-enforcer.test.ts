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

const system = (...roles: string[]): Caller => ({ projectId: '', roles, isAdmin: false, userId: 'u', systemScope: 'all' })
const NONE = row(false, false, false, false, false, false, false)
const ALL = row(true, true, true, true, true, true, true)

test('when only the new defaults apply, then the load-balancer_* roles need Keystone\'s role beside them and a project admin is nobody', () => {
  const e = new PolicyEnforcer(octaviaDefaultRules(), { enforceNewDefaults: true })
  assert.deepEqual(baseRules(e, caller(P, 'load-balancer_member', 'member')), row(true, false, true, true, false, false, false))
  assert.deepEqual(baseRules(e, caller(P, 'load-balancer_member')), NONE, 'member_and_owner also wants rule:project-member')
  assert.deepEqual(baseRules(e, caller(P, 'load-balancer_observer', 'reader')), row(true, false, false, true, false, false, false))
  assert.deepEqual(baseRules(e, caller(P, 'member', 'reader')), NONE, 'Keystone\'s roles alone are nothing to Octavia 11')
  assert.deepEqual(baseRules(e, caller(Q, 'load-balancer_global_observer')), row(true, true, false, true, true, false, false))
  assert.deepEqual(baseRules(e, caller(Q, 'load-balancer_quota_admin')), row(false, false, false, true, true, true, false))
  assert.deepEqual(baseRules(e, caller(Q, 'load-balancer_admin')), ALL)
  // NOTE: Octavia 11's new context_is_admin and load-balancer:admin want a system-scoped admin (12.0.0 added role:admin).
  assert.deepEqual(baseRules(e, caller(Q, 'admin', 'member', 'reader')), NONE)
  assert.deepEqual(baseRules(e, system('admin', 'member', 'reader')), ALL)
  assert.deepEqual(baseRules(e, system('reader')), row(true, true, false, true, true, false, false))
  assert.deepEqual(baseRules(e, caller(P)), NONE)
})

test('when enforce_new_defaults is false, then the deprecated checks pass too: the project alone for the load-balancer_* roles, admin for context_is_admin', () => {
  const e = new PolicyEnforcer(octaviaDefaultRules(), { enforceNewDefaults: false })
  assert.deepEqual(baseRules(e, caller(P, 'load-balancer_observer')), row(true, false, false, true, false, false, false))
  assert.deepEqual(baseRules(e, caller(P, 'load-balancer_member')), row(true, false, true, true, false, false, false))
  assert.deepEqual(baseRules(e, caller(Q, 'load-balancer_member')), NONE)
  assert.deepEqual(baseRules(e, caller(Q, 'load-balancer_global_observer')), row(true, true, false, true, true, false, false))
  assert.deepEqual(baseRules(e, caller(Q, 'load-balancer_quota_admin')), row(false, false, false, true, true, true, false))
  assert.deepEqual(baseRules(e, caller(Q, 'load-balancer_admin')), ALL)
  assert.deepEqual(baseRules(e, caller(Q, 'admin')), ALL)
  assert.deepEqual(baseRules(e, caller(P, 'member', 'reader')), NONE)
  assert.deepEqual(baseRules(e, caller(P, 'reader')), NONE)
})

test('when enforce_scope is true, then context_is_admin (system scope) fails for project tokens, and API rules (no scope types) are not refused by scope', () => {
  const e = new PolicyEnforcer(octaviaDefaultRules(), { enforceNewDefaults: false, enforceScope: true })
  const api = (name: string, c: Caller) => e.enforce(`os_load-balancer_api:${name}`, { project_id: P }, policyCredentials(c, e))
  assert.equal(policyCredentials(caller(Q, 'admin'), e).is_admin, false)
  assert.equal(api('loadbalancer:get_one', caller(Q, 'admin')), false, 'a project-scoped admin is no admin then')
  assert.equal(policyCredentials(system('admin'), e).is_admin, true)
  assert.equal(api('loadbalancer:put_failover', system('admin')), true)
  assert.equal(api('loadbalancer:put_failover', caller(Q, 'load-balancer_admin')), true, 'load-balancer:admin names the role itself')
  assert.equal(api('loadbalancer:put', caller(P, 'load-balancer_member')), true)
  assert.equal(e.enforce('load-balancer:admin', { project_id: P }, policyCredentials(caller(Q, 'load-balancer_admin'), e)), false,
    'a base rule enforced by name is scope-checked (system only)')
  const lax = new PolicyEnforcer(octaviaDefaultRules(), { enforceNewDefaults: false, enforceScope: false })
  assert.equal(policyCredentials(caller(Q, 'admin'), lax).is_admin, true)
})

test('when the Keystone default roles policy file is loaded, then reader/member/admin replace the load-balancer_* roles', () => {
  const file = fileURLToPath(new URL('../../../docs/policy/keystone-default-roles-policy.yaml', import.meta.url))
  const e = new PolicyEnforcer(octaviaDefaultRules(), { overrides: readPolicyFile(file), enforceNewDefaults: false })
  assert.deepEqual(baseRules(e, caller(P, 'reader')), row(true, false, false, true, false, false, false))
  assert.deepEqual(baseRules(e, caller(P, 'member', 'reader')), row(true, false, true, true, false, false, false))
  assert.deepEqual(baseRules(e, caller(Q, 'member', 'reader')), NONE)
  assert.deepEqual(baseRules(e, system('reader')), row(true, true, false, true, true, false, false))
  assert.deepEqual(baseRules(e, caller(Q, 'admin')), ALL)
  assert.deepEqual(baseRules(e, caller(Q, 'load-balancer_admin')), row(false, false, false, false, false, false, true))
  assert.deepEqual(baseRules(e, caller(P, 'load-balancer_member')), NONE)
})

test('when the API rules are registered, then each maps to Octavia 11\'s role rule', () => {
  const e = new PolicyEnforcer(octaviaDefaultRules(), { enforceNewDefaults: false })
  const names = e.ruleNames()
  for (const [resource, actions] of Object.entries(API_RULES)) {
    for (const action of Object.keys(actions)) assert.ok(names.includes(`os_load-balancer_api:${resource}:${action}`))
  }
  const check = (name: string, c: Caller, project = P) => e.enforce(`os_load-balancer_api:${name}`, { project_id: project }, policyCredentials(c, e))
  const lbMember = caller(P, 'load-balancer_member')
  const observer = caller(P, 'load-balancer_observer')
  assert.equal(check('loadbalancer:put_failover', lbMember), false, 'failover is admin only')
  assert.equal(check('loadbalancer:put_failover', caller(Q, 'admin')), true)
  assert.equal(check('member:get_all', caller(Q, 'service')), false, 'Octavia 11 has no service exception (17.0.0 added it)')
  assert.equal(check('member:get_all', observer), true)
  assert.equal(check('flavor:get_one', observer), true)
  assert.equal(check('flavor:get_one', caller(P, 'reader')), false)
  assert.equal(check('flavor:post', lbMember), false)
  assert.equal(check('flavor-profile:get_all', lbMember), false)
  assert.equal(check('amphora:get_all', lbMember), false)
  assert.equal(check('provider-flavor:get_all', lbMember), false)
  assert.equal(check('provider:get_all', observer), true)
  assert.equal(check('quota:put', lbMember), false)
  assert.equal(check('quota:get_defaults', observer), true)
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
  const creds = policyCredentials(caller(P, 'load-balancer_member', 'member'), e)
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
