import assert from 'node:assert/strict'
import { test } from 'node:test'
import { evaluateCheck, pyStr, type PolicyCheck } from './policy-check.js'
import { parseRule, PolicyRuleError } from './rule-parser.js'

const creds = { roles: ['Member', 'reader'], project_id: 'p1', user_id: 'u1', is_admin: false, nested: { ids: ['a', 'b'] }, none: null }
const run = (rule: unknown, target: Record<string, unknown> = { project_id: 'p1' }, rules: Record<string, PolicyCheck> = {}) =>
  evaluateCheck(parseRule(rule), target, creds, n => rules[n])

test('when a rule combines checks with and/or/not, then and binds tighter than or and not tightest', () => {
  assert.equal(run('role:admin or role:member and project_id:%(project_id)s'), true)
  assert.equal(run('role:admin or role:member and project_id:%(project_id)s', { project_id: 'p2' }), false)
  assert.equal(run('(role:admin or role:member) and project_id:%(project_id)s', { project_id: 'p2' }), false)
  assert.equal(run('not role:admin and role:reader'), true)
  assert.equal(run('not (role:admin or role:reader)'), false)
  assert.equal(run('not not role:reader'), true)
  assert.equal(run('role:admin OR ((role:member))'), true)
  assert.deepEqual(parseRule('a:1 or b:2 and c:3'), {
    kind: 'or', checks: [{ kind: 'generic', key: 'a', match: '1' }, {
      kind: 'and', checks: [{ kind: 'generic', key: 'b', match: '2' }, { kind: 'generic', key: 'c', match: '3' }],
    }],
  })
})

test('when a rule is @, ! or empty, then it always, never and always passes', () => {
  assert.equal(run('@'), true)
  assert.equal(run('!'), false)
  assert.equal(run(''), true)
  assert.equal(run([]), true)
  assert.equal(run('! or @'), true)
})

test('when a role is checked, then names compare case-insensitively and may come from the target', () => {
  assert.equal(run('role:member'), true)
  assert.equal(run('role:MEMBER'), true)
  assert.equal(run('role:admin'), false)
  assert.equal(run('role:%(wanted)s', { wanted: 'reader' }), true)
  assert.equal(run('role:%(wanted)s', {}), false)
})

test('when a generic check substitutes the target, then a missing key fails and values compare as Python str()', () => {
  assert.equal(run('project_id:%(project_id)s'), true)
  assert.equal(run('project_id:%(project_id)s', { project_id: 'p2' }), false)
  assert.equal(run('project_id:%(project_id)s', {}), false)
  assert.equal(run('user_id:u1'), true)
  assert.equal(run('none:%(x)s', { x: null }), true, 'None equals None')
  assert.equal(run('nested.ids:b'), true, 'a dotted path descends; any list element may match')
  assert.equal(run('nested.ids:c'), false)
  assert.equal(run('missing.path:x'), false)
  assert.equal(run("'p1':%(project_id)s"), true, 'a quoted literal on the left')
  assert.equal(run('True:%(flag)s', { flag: true }), true)
  assert.equal(run('100%%:%(x)s', { x: 1 }), false)
  assert.equal(run('user_id:100%%'), false)
  assert.equal(pyStr(['a', 1, null]), "['a', 1, None]")
})

test('when is_admin is checked, then it compares with the credentials\' is_admin flag', () => {
  assert.equal(run('is_admin:True'), false)
  assert.equal(run('is_admin:false'), true)
  assert.equal(evaluateCheck(parseRule('is_admin:True'), {}, { is_admin: true }, () => undefined), true)
})

test('when a rule refers to another, then that rule decides and an unknown one fails closed', () => {
  const rules = { reader: parseRule('role:reader'), none: parseRule('!') }
  assert.equal(run('rule:reader', {}, rules), true)
  assert.equal(run('rule:none or rule:reader', {}, rules), true)
  assert.equal(run('rule:nobody', {}, rules), false)
})

test('when a rule uses the legacy list form, then the outer list is or and inner lists are and', () => {
  assert.equal(run([['role:member', 'project_id:%(project_id)s'], ['role:admin']]), true)
  assert.equal(run([['role:member', 'project_id:%(project_id)s'], ['role:admin']], { project_id: 'p2' }), false)
  assert.equal(run(['role:admin', 'role:reader']), true)
})

test('when a rule is malformed, then parsing throws PolicyRuleError saying why', () => {
  const bad: [unknown, RegExp][] = [
    ['role:admin or', /unexpected end of rule/],
    ['(role:admin', /missing "\)"/],
    ['role:admin)', /unexpected "\)"/],
    ['role:admin role:member', /unexpected "check"/],
    ['admin', /"admin" is not a check/],
    ['and role:admin', /unexpected "and"/],
    ['"quoted" or role:admin', /unexpected quoted string 'quoted'/],
    ['http://example/check:x', /http checks are not supported/],
    ['project_id:%(project_id)d', /only %\(name\)s substitutions/],
    [':x', /has no kind/],
    ['   ', /blank/],
    [42, /expected a string/],
    [[['role:a', 1]], /list rule holds strings/],
  ]
  for (const [rule, message] of bad) {
    assert.throws(() => parseRule(rule), (err: unknown) => err instanceof PolicyRuleError && message.test(err.message), String(rule))
  }
})
