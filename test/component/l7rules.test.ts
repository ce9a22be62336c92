import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import { startHarness, type Harness } from '../support/api-harness.js'
import { testDialects } from '../support/databases.js'
import {
  addPolicy, addRule, assertFault, forceStatus, L7_HARNESS_OPTIONS, lbWithListener, settle, statusOf, type L7Fixture,
} from '../support/l7-fixtures.js'

const rulesPath = (policyId: string) => `/v2/lbaas/l7policies/${policyId}/rules`
const PARSE = 'Error parsing L7Rule: '

for (const dialect of testDialects) {
  describe(`l7rules (${dialect})`, () => {
    let h: Harness
    let fx: L7Fixture
    let policyId: string
    const post = (body: Record<string, unknown>, pid = policyId) => h.request('POST', rulesPath(pid), { rule: body })
    const put = (id: string, body: Record<string, unknown>, pid = policyId) =>
      h.request('PUT', `${rulesPath(pid)}/${id}`, { rule: body })
    const rule = (type: string, compare_type: string, value: unknown, extra: Record<string, unknown> = {}) =>
      ({ type, compare_type, value, ...extra })

    before(async () => {
      h = await startHarness(dialect, L7_HARNESS_OPTIONS)
      fx = await lbWithListener(h, 'HTTP')
      policyId = (await addPolicy(h, fx)).id
    })
    after(async () => { await h.close() })

    test('when a rule is created with defaults, then Octavia\'s defaults are shown and it goes ACTIVE', async () => {
      const r = await post(rule('PATH', 'STARTS_WITH', '/api'))
      assert.equal(r.status, 201)
      const x = r.body.rule
      assert.deepEqual(Object.keys(x).sort(), ['admin_state_up', 'compare_type', 'created_at', 'id', 'invert', 'key',
        'operating_status', 'project_id', 'provisioning_status', 'tags', 'type', 'updated_at', 'value'])
      assert.deepEqual([x.type, x.compare_type, x.value, x.key, x.invert, x.admin_state_up], ['PATH', 'STARTS_WITH', '/api', null, false, true])
      assert.deepEqual([x.provisioning_status, x.operating_status, x.project_id, x.updated_at], ['PENDING_CREATE', 'OFFLINE', fx.projectId, null])
      assert.deepEqual(x.tags, [])
      await settle(h, fx.lbId)
      const got = (await h.request('GET', `${rulesPath(policyId)}/${x.id}`)).body.rule
      assert.deepEqual([got.provisioning_status, got.operating_status], ['ACTIVE', 'ONLINE'])
      assert.equal(await statusOf(h, 'l7policy', policyId), 'ACTIVE')
      const policy = (await h.request('GET', `/v2/lbaas/l7policies/${policyId}`)).body.l7policy
      assert.ok(policy.rules.some((r2: { id: string }) => r2.id === x.id))
    })

    test('when rules of every type are valid, then they are accepted', async () => {
      const ok = [
        rule('HOST_NAME', 'EQUAL_TO', 'www.example.com'),
        rule('PATH', 'REGEX', '^/images/.*\\.(png|jpe?g)$', { invert: true }),
        rule('PATH', 'REGEX', '(?i)\\A/API(?P<v>[0-9]+)\\z'),
        rule('FILE_TYPE', 'REGEX', 'jpg|png'),
        rule('FILE_TYPE', 'EQUAL_TO', 'png'),
        rule('HEADER', 'ENDS_WITH', '"some string"', { key: 'Some-header' }),
        rule('HEADER', 'CONTAINS', 'a\\b#c', { key: 'X-Thing_1.2' }),
        rule('COOKIE', 'CONTAINS', 'some-value', { key: 'some-cookie' }),
        rule('SSL_CONN_HAS_CERT', 'EQUAL_TO', 'tRuE'),
        rule('SSL_VERIFY_RESULT', 'EQUAL_TO', '0'),
        rule('SSL_DN_FIELD', 'STARTS_WITH', 'ST-FIELD1 PREFIX', { key: 'st-1' }),
      ]
      for (const body of ok) {
        const r = await addRule(h, fx, policyId, { ...body, tags: ['t'] })
        assert.equal(r.type, body.type)
        assert.equal(r.value, body.value)
        assert.equal(r.key, (body as any).key ?? null)
      }
    })

    test('when a rule is malformed, then 400 with the exact schema message', async () => {
      assertFault(await post({ compare_type: 'EQUAL_TO', value: 'x' }), 400,
        "Invalid input for field/attribute type. Value: 'None'. Mandatory field missing.")
      assertFault(await post({ type: 'HOST_NAME', compare_type: 'STARTS_WITH' }), 400,
        "Invalid input for field/attribute value. Value: 'None'. Mandatory field missing.")
      assertFault(await post(rule('bad type', 'EQUAL_TO', 'x')), 400,
        "Invalid input for field/attribute type. Value: 'bad type'. Value should be one of: HOST_NAME, PATH, FILE_TYPE, HEADER, COOKIE, SSL_CONN_HAS_CERT, SSL_VERIFY_RESULT, SSL_DN_FIELD")
      assertFault(await post(rule('PATH', 'LIKE', 'x')), 400,
        "Invalid input for field/attribute compare_type. Value: 'LIKE'. Value should be one of: REGEX, STARTS_WITH, ENDS_WITH, CONTAINS, EQUAL_TO")
      assertFault(await post(rule('PATH', 'EQUAL_TO', 'a\nb')), 400,
        "Invalid input for field/attribute value. Value: 'a\nb'. Value should match the pattern ^[^\\r\\n]*$")
      assertFault(await post(rule('HEADER', 'EQUAL_TO', 'v', { key: 'k\r' })), 400,
        "Invalid input for field/attribute key. Value: 'k\r'. Value should match the pattern ^[^\\r\\n]*$")
      const long = 'x'.repeat(256)
      assertFault(await post(rule('PATH', 'EQUAL_TO', long)), 400,
        `Invalid input for field/attribute value. Value: '${long}'. Value should have a maximum character requirement of 255`)
      // WSME converts 'yes'/'no'/'true'/'1'… for booleans (see src/api/wsme-coercion.ts); other strings fail.
      assertFault(await post(rule('PATH', 'EQUAL_TO', 'x', { invert: 'maybe' })), 400,
        "Invalid input for field/attribute invert. Value: 'maybe'. Wrong type. Expected 'boolean', got 'string'")
      assertFault(await post({ ...rule('PATH', 'EQUAL_TO', 'x'), name: 'test1' }), 400, /^Unknown attribute for argument .*: name$/)
    })

    test('when a rule is inconsistent, then 400 Error parsing L7Rule with Octavia\'s reason', async () => {
      const cases: [Record<string, unknown>, string][] = [
        [rule('HOST_NAME', 'EQUAL_TO', ''), 'Invalid L7 Rule: L7 rule type requires a value'],
        [rule('PATH', 'REGEX', 'bad string\\'), 'Unable to parse regular expression: \\ at end of pattern'],
        [rule('PATH', 'REGEX', '(unclosed'), 'Unable to parse regular expression: Unterminated group'],
        [rule('HOST_NAME', 'REGEX', 'a**'), 'Unable to parse regular expression: Nothing to repeat'],
        [rule('FILE_TYPE', 'STARTS_WITH', 'png'), 'Invalid L7 Rule: invalid comparison type for rule type'],
        [rule('HEADER', 'CONTAINS', 'some-string'), 'Invalid L7 Rule: L7 rule type requires a key'],
        [rule('COOKIE', 'EQUAL_TO', 'some-string', { key: 'bad cookie name' }), 'Invalid characters in key'],
        [rule('HEADER', 'EQUAL_TO', 'v', { key: 'a,b' }), 'Invalid characters in key'],
        [rule('HEADER', 'EQUAL_TO', 'v', { key: 'a#b' }), 'Invalid characters in key'],
        [rule('HEADER', 'EQUAL_TO', 'v', { key: "a'b" }), 'Invalid characters in key'],
        [rule('HEADER', 'EQUAL_TO', 'a b', { key: 'X' }), 'Invalid characters in header value'],
        [rule('COOKIE', 'EQUAL_TO', 'a;b', { key: 'c' }), 'Invalid characters in cookie value'],
        [rule('PATH', 'EQUAL_TO', '/a b'), 'Invalid characters in comparison value'],
        [rule('FILE_TYPE', 'EQUAL_TO', 'p\u00e9ng'), 'Invalid characters in comparison value'],
        [rule('PATH', 'REGEX', 'a\tb'), 'Invalid characters in value'],
        [rule('PATH', 'REGEX', 'a\u0085b'), 'Invalid characters in value'],
        [rule('HEADER', 'REGEX', 'x', { key: 'k\u0000' }), 'Invalid characters in key'],
        [rule('SSL_CONN_HAS_CERT', 'EQUAL_TO', 'true', { key: 'no-need-key' }),
          'Invalid L7 Rule: L7rule type SSL_CONN_HAS_CERT does not use the "key" field.'],
        [rule('SSL_CONN_HAS_CERT', 'EQUAL_TO', 'not-true-string'),
          'Invalid L7 Rule: L7rule value not-true-string is not a boolean True string.'],
        [rule('SSL_CONN_HAS_CERT', 'STARTS_WITH', 'tRUe'),
          'Invalid L7 Rule: L7rule type SSL_CONN_HAS_CERT only supports the EQUAL_TO compare type.'],
        [rule('SSL_VERIFY_RESULT', 'EQUAL_TO', 'true', { key: 'no-need-key' }),
          'Invalid L7 Rule: L7rule type SSL_VERIFY_RESULT does not use the "key" field.'],
        [rule('SSL_VERIFY_RESULT', 'EQUAL_TO', 'true'), 'Invalid L7 Rule: L7rule type SSL_VERIFY_RESULT needs a int value, which is >= 0'],
        [rule('SSL_VERIFY_RESULT', 'EQUAL_TO', '-1'), 'Invalid L7 Rule: L7rule type SSL_VERIFY_RESULT needs a int value, which is >= 0'],
        [rule('SSL_VERIFY_RESULT', 'STARTS_WITH', '0'),
          'Invalid L7 Rule: L7rule type SSL_VERIFY_RESULT only supports the EQUAL_TO compare type.'],
        [rule('SSL_DN_FIELD', 'REGEX', 'bad regex\\'), 'Unable to parse regular expression: \\ at end of pattern'],
        [rule('SSL_DN_FIELD', 'REGEX', '^.test*$'), 'Invalid L7 Rule: L7rule type SSL_DN_FIELD needs to specify a key and a value.'],
        [rule('SSL_DN_FIELD', 'REGEX', '^.test*$', { key: 'NOT_SUPPORTED_DN_FIELD' }), 'Invalid L7 Rule: Invalid L7rule distinguished name field.'],
      ]
      for (const [body, reason] of cases) assertFault(await post(body), 400, PARSE + reason)
      assert.equal(await statusOf(h, 'load_balancer', fx.lbId), 'ACTIVE')
    })

    test('when a policy already has 50 rules, then a new one is refused with 409', async () => {
      const many = Array.from({ length: 50 }, () => rule('PATH', 'STARTS_WITH', '/a'))
      const full = await addPolicy(h, fx, { rules: many })
      assertFault(await post(rule('PATH', 'STARTS_WITH', '/api'), full.id), 409, `Too many rules on L7 policy ${full.id}`)
      assert.equal(await statusOf(h, 'load_balancer', fx.lbId), 'ACTIVE')
    })

    test('when the policy or the rule does not exist, then 404 with Octavia\'s wording', async () => {
      const missing = randomUUID()
      assertFault(await h.request('GET', rulesPath(missing)), 404, `L7Policy ${missing} not found.`)
      assertFault(await post(rule('PATH', 'EQUAL_TO', '/'), missing), 404, `L7Policy ${missing} not found.`)
      assertFault(await h.request('GET', `${rulesPath(missing)}/${missing}`), 404, `L7Policy ${missing} not found.`)
      assertFault(await h.request('GET', `${rulesPath(policyId)}/${missing}`), 404, `L7 Rule ${missing} not found.`)
      assertFault(await put(missing, { value: '/x' }), 404, `L7 Rule ${missing} not found.`)
      assertFault(await h.request('DELETE', `${rulesPath(policyId)}/${missing}`), 404, `L7 Rule ${missing} not found.`)
      const other = await addPolicy(h, fx)
      const foreign = await addRule(h, fx, other.id)
      assertFault(await h.request('GET', `${rulesPath(policyId)}/${foreign.id}`), 404, `L7 Rule ${foreign.id} not found.`)
    })

    test('when the policy or the load balancer is not ACTIVE, then writes answer 409 (validation first)', async () => {
      const x = await addRule(h, fx, policyId)
      await forceStatus(h, 'l7policy', policyId, 'ERROR')
      try {
        const msg = `L7Policy ${policyId} is immutable and cannot be updated.`
        assertFault(await post(rule('HOST_NAME', 'EQUAL_TO', 'www.example.com')), 409, msg)
        assertFault(await put(x.id, { value: '/b' }), 409, msg)
        assertFault(await h.request('DELETE', `${rulesPath(policyId)}/${x.id}`), 409, msg)
      } finally {
        await forceStatus(h, 'l7policy', policyId, 'ACTIVE')
      }
      await forceStatus(h, 'load_balancer', fx.lbId, 'PENDING_UPDATE')
      try {
        const msg = `Load Balancer ${fx.lbId} is immutable and cannot be updated.`
        assertFault(await post(rule('HOST_NAME', 'EQUAL_TO', 'www.example.com')), 409, msg)
        assertFault(await put(x.id, { value: '/b' }), 409, msg)
        assertFault(await h.request('DELETE', `${rulesPath(policyId)}/${x.id}`), 409, msg)
        assertFault(await put(x.id, { type: 'SSL_CONN_HAS_CERT', value: 'true', key: 'k', compare_type: 'EQUAL_TO' }), 400,
          `${PARSE}Invalid L7 Rule: L7rule type SSL_CONN_HAS_CERT does not use the "key" field.`)
      } finally {
        await forceStatus(h, 'load_balancer', fx.lbId, 'ACTIVE')
      }
      assert.equal(await statusOf(h, 'l7policy', policyId), 'ACTIVE')
      assert.equal(await statusOf(h, 'l7rule', x.id), 'ACTIVE')
    })

    test('when a rule is updated, then the merged rule is validated and stored', async () => {
      const x = await addRule(h, fx, policyId, { invert: true, tags: ['old'] })
      let r = await put(x.id, { value: '/images', tags: ['new'] })
      assert.equal(r.status, 200)
      assert.deepEqual([r.body.rule.value, r.body.rule.provisioning_status, r.body.rule.invert], ['/images', 'PENDING_UPDATE', true])
      assert.deepEqual(r.body.rule.tags, ['new'])
      await settle(h, fx.lbId)
      assertFault(await put(x.id, { compare_type: 'REGEX', value: 'bad string\\' }), 400,
        `${PARSE}Unable to parse regular expression: \\ at end of pattern`)
      assertFault(await put(x.id, { type: 'HEADER' }), 400, `${PARSE}Invalid L7 Rule: L7 rule type requires a key`)
      assertFault(await put(x.id, { type: null }), 400, `${PARSE}Invalid L7 Rule: invalid rule type`)
      assertFault(await put(x.id, { value: null }), 400, `${PARSE}Invalid L7 Rule: L7 rule type requires a value`)
      assertFault(await put(x.id, { value: 'a\nb' }), 400,
        "Invalid input for field/attribute value. Value: 'a\nb'. Value should match the pattern ^[^\\r\\n]*$")
      assert.equal(await statusOf(h, 'l7rule', x.id), 'ACTIVE')
      r = await put(x.id, { invert: null })
      assert.equal(r.body.rule.invert, false)
      await settle(h, fx.lbId)
      r = await put(x.id, { type: 'HEADER', key: 'X-Env', compare_type: 'EQUAL_TO', value: 'prod', admin_state_up: false })
      assert.deepEqual([r.body.rule.type, r.body.rule.key, r.body.rule.admin_state_up], ['HEADER', 'X-Env', false])
      await settle(h, fx.lbId)
      assert.equal((await h.request('GET', `${rulesPath(policyId)}/${x.id}`)).body.rule.operating_status, 'OFFLINE')
      r = await put(x.id, { type: 'HOST_NAME', value: 'www.example.com' })
      assert.deepEqual([r.body.rule.type, r.body.rule.key], ['HOST_NAME', null])
      await settle(h, fx.lbId)
      for (const [type, body] of [['SSL_CONN_HAS_CERT', { value: 'tRuE', compare_type: 'EQUAL_TO' }],
        ['SSL_VERIFY_RESULT', { value: '0', compare_type: 'EQUAL_TO' }],
        ['SSL_DN_FIELD', { key: 'st-1', value: 'ST-FIELD1-PREFIX', compare_type: 'STARTS_WITH' }]] as const) {
        r = await put(x.id, { type, ...body })
        assert.equal(r.status, 200, JSON.stringify(r.body))
        assert.equal(r.body.rule.type, type)
        await settle(h, fx.lbId)
      }
      r = await put(x.id, {})
      assert.equal(r.status, 200)
      await settle(h, fx.lbId)
    })

    test('when a rule is deleted, then it goes PENDING_DELETE and the worker removes it', async () => {
      const x = await addRule(h, fx, policyId, { tags: ['t'] })
      assert.equal((await h.request('DELETE', `${rulesPath(policyId)}/${x.id}`)).status, 204)
      await settle(h, fx.lbId)
      assertFault(await h.request('GET', `${rulesPath(policyId)}/${x.id}`), 404, `L7 Rule ${x.id} not found.`)
      const tags = await h.deps.database.db.selectFrom('tag').select('tag').where('resource_id', '=', x.id).execute()
      assert.deepEqual(tags, [])
      const policy = (await h.request('GET', `/v2/lbaas/l7policies/${policyId}`)).body.l7policy
      assert.ok(!policy.rules.some((r2: { id: string }) => r2.id === x.id))
    })

    test('when rules are listed, then pagination, sorting, filters, fields and tags work', async () => {
      const p = await addPolicy(h, fx)
      const a = await addRule(h, fx, p.id, { type: 'HOST_NAME', compare_type: 'EQUAL_TO', value: 'a.example', tags: ['red', 'blue'] })
      const b = await addRule(h, fx, p.id, { value: '/b', invert: true, tags: ['red'] })
      const c = await addRule(h, fx, p.id, { compare_type: 'REGEX', value: '^/c', tags: ['green'], admin_state_up: false })
      const list = async (q = '') => (await h.request('GET', `${rulesPath(p.id)}?${q}`)).body
      const ids = (body: any) => body.rules.map((x: any) => x.id)
      assert.deepEqual(ids(await list()), [a.id, b.id, c.id])
      assert.deepEqual(ids(await list('sort=value:desc')), [a.id, c.id, b.id])
      const page1 = await list('limit=2')
      assert.deepEqual(ids(page1), [a.id, b.id])
      assert.deepEqual(page1.rules_links.map((x: any) => x.rel), ['next'])
      assert.match(page1.rules_links[0].href, new RegExp(`/v2/lbaas/l7policies/${p.id}/rules\\?limit=2&marker=${b.id}$`))
      const page2 = await list(`limit=2&marker=${b.id}`)
      assert.deepEqual(ids(page2), [c.id])
      assert.deepEqual(page2.rules_links.map((x: any) => x.rel), ['previous'])
      assert.deepEqual(ids(await list('invert=true')), [b.id])
      assert.deepEqual(ids(await list('compare_type=REGEX')), [c.id])
      assert.deepEqual(ids(await list('admin_state_up=false')), [c.id])
      assert.deepEqual(ids(await list('type=HOST_NAME')), [a.id])
      // openstacksdk's l7_rules() repeats the policy id as a filter, which Octavia's data model accepts
      assert.deepEqual(ids(await list(`l7policy_id=${p.id}`)), [a.id, b.id, c.id])
      assert.deepEqual(ids(await list(`l7policy_id=${policyId}`)), [])
      assert.deepEqual(ids(await list('tags=red')), [a.id, b.id])
      assert.deepEqual(ids(await list('tags-any=blue,green')), [a.id, c.id])
      assert.deepEqual(ids(await list('not-tags=red')), [c.id])
      assert.deepEqual(ids(await list('not-tags-any=red')), [c.id])
      assert.deepEqual((await list('fields=id&fields=type')).rules[0], { id: a.id, type: 'HOST_NAME' })
      const one = await h.request('GET', `${rulesPath(p.id)}/${a.id}?fields=value`)
      assert.deepEqual(one.body, { rule: { value: 'a.example' } })
      assertFault(await h.request('GET', `${rulesPath(p.id)}?name=x`), 400, 'One or more arguments are either duplicate or invalid')
      assertFault(await h.request('GET', `${rulesPath(p.id)}?marker=nope`), 400, "Supplied pagination marker 'nope' is not valid.")
      const v20 = await h.request('GET', `/v2.0/lbaas/l7policies/${p.id}/rules.json`)
      assert.deepEqual(ids(v20.body), [a.id, b.id, c.id])
    })
  })

  describe(`l7rules in flight (${dialect})`, () => {
    let h: Harness
    let fx: L7Fixture
    before(async () => {
      h = await startHarness(dialect, { ...L7_HARNESS_OPTIONS, noop_provider: { task_delay_ms: '150' } })
      fx = await lbWithListener(h, 'HTTP')
    })
    after(async () => { await h.close() })

    test('when a rule is created, updated and deleted, then LB, listener and policy are PENDING_UPDATE meanwhile', async () => {
      const policy = await addPolicy(h, fx)
      const r = await h.request('POST', rulesPath(policy.id), { rule: { type: 'PATH', compare_type: 'EQUAL_TO', value: '/' } })
      assert.equal(r.status, 201)
      const id = r.body.rule.id
      const statuses = async () => [await statusOf(h, 'load_balancer', fx.lbId), await statusOf(h, 'listener', fx.listenerId),
        await statusOf(h, 'l7policy', policy.id), await statusOf(h, 'l7rule', id)]
      assert.deepEqual(await statuses(), ['PENDING_UPDATE', 'PENDING_UPDATE', 'PENDING_UPDATE', 'PENDING_CREATE'])
      assertFault(await h.request('POST', rulesPath(policy.id), { rule: { type: 'PATH', compare_type: 'EQUAL_TO', value: '/' } }), 409,
        `L7Policy ${policy.id} is immutable and cannot be updated.`)
      await settle(h, fx.lbId)
      assert.equal((await h.request('PUT', `${rulesPath(policy.id)}/${id}`, { rule: { value: '/x' } })).status, 200)
      assert.deepEqual(await statuses(), ['PENDING_UPDATE', 'PENDING_UPDATE', 'PENDING_UPDATE', 'PENDING_UPDATE'])
      await settle(h, fx.lbId)
      assert.equal((await h.request('DELETE', `${rulesPath(policy.id)}/${id}`)).status, 204)
      assert.deepEqual(await statuses(), ['PENDING_UPDATE', 'PENDING_UPDATE', 'PENDING_UPDATE', 'PENDING_DELETE'])
      await settle(h, fx.lbId)
      assert.deepEqual(await statuses(), ['ACTIVE', 'ACTIVE', 'ACTIVE', undefined])
    })
  })
}
