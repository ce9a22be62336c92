import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, test } from 'node:test'
import { PolicyRuleError } from '../policy/rule-parser.js'
import { policyCredentials } from './policy-credentials.js'
import { createPolicyEnforcer } from './install-policy.js'

const dir = mkdtempSync(join(tmpdir(), 'octavia-ts-policy-'))
after(() => rmSync(dir, { recursive: true, force: true }))
const file = (name: string, text: string): string => {
  const path = join(dir, name)
  writeFileSync(path, text)
  return path
}
const member = { projectId: 'p', roles: ['load-balancer_member', 'member'], isAdmin: false, userId: 'u' }

test('when no policy file is configured, then the defaults apply', () => {
  const e = createPolicyEnforcer({ policy_file: '', enforce_new_defaults: true, enforce_scope: false })
  assert.equal(e.enforce('os_load-balancer_api:loadbalancer:put_failover', { project_id: 'p' }, policyCredentials(member, e)), false)
})

test('when the policy file is YAML or JSON, then its rules override the defaults', () => {
  for (const path of [
    file('p.yaml', '# failover for members\n"os_load-balancer_api:loadbalancer:put_failover": "rule:load-balancer:write"\n'),
    file('p.json', '{"os_load-balancer_api:loadbalancer:put_failover": "rule:load-balancer:write"}'),
    file('p-list.json', '{"os_load-balancer_api:loadbalancer:put_failover": [["role:member", "project_id:%(project_id)s"]]}'),
  ]) {
    const e = createPolicyEnforcer({ policy_file: path, enforce_new_defaults: true, enforce_scope: false })
    assert.equal(e.enforce('os_load-balancer_api:loadbalancer:put_failover', { project_id: 'p' }, policyCredentials(member, e)), true, path)
  }
  const empty = createPolicyEnforcer({ policy_file: file('empty.yaml', '# nothing\n'), enforce_new_defaults: true, enforce_scope: false })
  assert.equal(empty.enforce('os_load-balancer_api:loadbalancer:get_one', { project_id: 'p' }, policyCredentials(member, empty)), true)
})

test('when the policy file is missing, malformed or holds a bad rule, then start-up fails with a message naming it', () => {
  const cases: [string, RegExp][] = [
    [join(dir, 'absent.yaml'), /^policy file .*absent\.yaml cannot be read: ENOENT/],
    [file('list.yaml', '- a\n- b\n'), /^policy file .*list\.yaml must map rule names to rules$/],
    [file('broken.yaml', 'a: [unclosed\n'), /^policy file .*broken\.yaml is neither JSON nor YAML: /],
    [file('bad-rule.yaml', '"load-balancer:write": "role:member and (project_id:%(project_id)s"\n'),
      /^invalid policy rule "load-balancer:write" in .*bad-rule\.yaml: missing "\)" in "role:member and \(project_id:%\(project_id\)s"$/],
    [file('bad-type.yaml', '"load-balancer:write": 3\n'), /^invalid policy rule "load-balancer:write" in .*bad-type\.yaml: expected a string, got 3$/],
  ]
  for (const [path, message] of cases) {
    assert.throws(() => createPolicyEnforcer({ policy_file: path, enforce_new_defaults: true, enforce_scope: false }),
      (err: unknown) => err instanceof PolicyRuleError && message.test(err.message), path)
  }
})
