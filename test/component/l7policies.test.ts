import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import { startHarness, type Harness } from '../support/api-harness.js'
import { insertListenerL7Policies } from '../../src/api/v2/l7policies/insert.js'
import { testDialects } from '../support/databases.js'
import {
  addListener, addPolicy, addPool, assertFault, forceStatus, L7_HARNESS_OPTIONS, lbWithListener, settle, statusOf,
  type L7Fixture,
} from '../support/l7-fixtures.js'

const PATH = '/v2/lbaas/l7policies'
const URL_ERR = (f: string, v: string) => `Invalid input for field/attribute ${f}. Value: '${v}'. Value must be a valid URL string`

for (const dialect of testDialects) {
  describe(`l7policies (${dialect})`, () => {
    let h: Harness
    let fx: L7Fixture
    let poolId: string
    const post = (body: Record<string, unknown>, listenerId = fx.listenerId) =>
      h.request('POST', PATH, { l7policy: { listener_id: listenerId, ...body } })
    const put = (id: string, body: Record<string, unknown>) => h.request('PUT', `${PATH}/${id}`, { l7policy: body })
    const positions = async (listenerId: string): Promise<string[]> => {
      const r = await h.request('GET', `${PATH}?listener_id=${listenerId}&sort=position:asc`)
      return r.body.l7policies.map((p: any) => `${p.position}:${p.name}`)
    }

    before(async () => {
      h = await startHarness(dialect, L7_HARNESS_OPTIONS)
      fx = await lbWithListener(h, 'HTTP')
      poolId = await addPool(h, fx.lbId, 'HTTP')
    })
    after(async () => { await h.close() })

    test('when a REJECT policy is created with defaults, then Octavia\'s defaults are shown and it goes ACTIVE', async () => {
      const listenerId = await addListener(h, fx.lbId, 'HTTP')
      const r = await post({ action: 'REJECT' }, listenerId)
      assert.equal(r.status, 201)
      const p = r.body.l7policy
      assert.deepEqual(Object.keys(p).sort(), ['action', 'admin_state_up', 'created_at', 'description', 'id',
        'listener_id', 'name', 'operating_status', 'position', 'project_id', 'provisioning_status', 'redirect_http_code',
        'redirect_pool_id', 'redirect_prefix', 'redirect_url', 'rules', 'tags', 'updated_at'])
      assert.equal(p.action, 'REJECT')
      assert.equal(p.position, 1)
      assert.equal(p.provisioning_status, 'PENDING_CREATE')
      assert.equal(p.operating_status, 'OFFLINE')
      assert.equal(p.admin_state_up, true)
      assert.equal(p.name, '')
      assert.equal(p.description, '')
      assert.equal(p.project_id, fx.projectId)
      assert.equal(p.listener_id, listenerId)
      assert.deepEqual([p.redirect_pool_id, p.redirect_url, p.redirect_prefix, p.redirect_http_code], [null, null, null, null])
      assert.deepEqual(p.rules, [])
      assert.deepEqual(p.tags, [])
      assert.match(p.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/)
      assert.equal(p.updated_at, null)
      await settle(h, fx.lbId)
      const got = (await h.request('GET', `${PATH}/${p.id}`)).body.l7policy
      assert.equal(got.provisioning_status, 'ACTIVE')
      assert.equal(got.operating_status, 'ONLINE')
      assert.equal(await statusOf(h, 'listener', listenerId), 'ACTIVE')
    })

    test('when redirect policies are created, then their targets and the default code 302 are set', async () => {
      const url = (await addPolicy(h, fx, { action: 'REDIRECT_TO_URL', redirect_url: 'http://www.example.com' }))
      assert.deepEqual([url.action, url.redirect_url, url.redirect_http_code], ['REDIRECT_TO_URL', 'http://www.example.com', 302])
      const url301 = await addPolicy(h, fx, { action: 'REDIRECT_TO_URL', redirect_url: 'https://a.example/x?y=1#z', redirect_http_code: 301 })
      assert.equal(url301.redirect_http_code, 301)
      const prefix = await addPolicy(h, fx, { action: 'REDIRECT_PREFIX', redirect_prefix: 'https://example.com' })
      assert.deepEqual([prefix.action, prefix.redirect_prefix, prefix.redirect_http_code], ['REDIRECT_PREFIX', 'https://example.com', 302])
      const pool = await addPolicy(h, fx, { action: 'REDIRECT_TO_POOL', redirect_pool_id: poolId, redirect_http_code: 308 })
      assert.deepEqual([pool.action, pool.redirect_pool_id, pool.redirect_url, pool.redirect_prefix, pool.redirect_http_code],
        ['REDIRECT_TO_POOL', poolId, null, null, null])
    })

    test('when arguments of several actions are mixed, then they are sanitised as Octavia does', async () => {
      const toUrl = await addPolicy(h, fx, { action: 'REDIRECT_TO_URL', redirect_url: 'http://a.example', redirect_pool_id: null })
      assert.equal(toUrl.redirect_pool_id, null)
      const reject = await addPolicy(h, fx, { action: 'REJECT', redirect_url: 'http://a.example', redirect_http_code: 301 })
      assert.deepEqual([reject.action, reject.redirect_url, reject.redirect_http_code], ['REJECT', null, null])
      const implied = await addPolicy(h, fx, { action: 'REDIRECT_PREFIX', redirect_prefix: 'http://p.example', redirect_url: 'http://u.example' })
      assert.deepEqual([implied.action, implied.redirect_url, implied.redirect_prefix], ['REDIRECT_TO_URL', 'http://u.example', null])
    })

    test('when redirect arguments are inconsistent, then 400 Invalid L7 Policy arguments', async () => {
      const both = 'Invalid L7 Policy arguments: Cannot specify redirect_pool_id and redirect_url or redirect_prefix at the same time'
      assertFault(await post({ action: 'REDIRECT_TO_POOL', redirect_pool_id: poolId, redirect_prefix: 'http://a.example' }), 400, both)
      assertFault(await post({ action: 'REDIRECT_PREFIX', redirect_pool_id: poolId, redirect_prefix: 'http://a.example' }), 400, both)
      const p = await addPolicy(h, fx)
      assertFault(await put(p.id, { redirect_pool_id: poolId, redirect_url: 'http://a.example' }), 400, both)
      assertFault(await post({ action: 'REDIRECT_TO_URL' }), 400, 'Invalid L7 Policy arguments: redirect_url must not be None')
      assertFault(await post({ action: 'REDIRECT_PREFIX' }), 400, 'Invalid L7 Policy arguments: redirect_prefix must not be None')
      assertFault(await post({ action: 'REDIRECT_TO_POOL' }), 400,
        'Invalid L7 Policy arguments: redirect_pool_id or redirect_pool must not be None')
    })

    test('when a field is malformed, then 400 with the exact WSME-style message', async () => {
      assertFault(await post({ name: 'x' }), 400, "Invalid input for field/attribute action. Value: 'None'. Mandatory field missing.")
      assertFault(await h.request('POST', PATH, { l7policy: { action: 'REJECT' } }), 400,
        "Invalid input for field/attribute listener_id. Value: 'None'. Mandatory field missing.")
      assertFault(await post({ action: 'bad action' }), 400,
        "Invalid input for field/attribute action. Value: 'bad action'. Value should be one of: REJECT, REDIRECT_TO_URL, REDIRECT_TO_POOL, REDIRECT_PREFIX")
      for (const code of [1, '', 'HTTPCODE']) {
        assertFault(await post({ action: 'REDIRECT_TO_URL', redirect_url: 'http://a.example', redirect_http_code: code }), 400,
          `Invalid input for field/attribute redirect_http_code. Value: '${code}'. Value should be one of: 301, 302, 303, 307, 308`)
      }
      assertFault(await post({ action: 'REJECT', position: 0 }), 400,
        "Invalid input for field/attribute position. Value: '0'. Value should be greater or equal to 1")
      assertFault(await post({ action: 'REJECT', redirect_pool_id: 'nope' }), 400,
        "Invalid input for field/attribute redirect_pool_id. Value: 'nope'. Value should be UUID format")
      assertFault(await post({ action: 'REJECT', bogus: 1 }), 400, /^Unknown attribute for argument .*: bogus$/)
    })

    test('when a redirect URL or prefix is not a strict http(s) URL, then 400 Value must be a valid URL string', async () => {
      const bad = ['bad url', 'bad-url', 'ftp://example.com', 'HTTP://example.com', 'http://', 'http://a.example/x y',
        'http://a.example/\nx', 'http://a.example/\u0000', 'http://a.example/\u0085', 'http://a.example/%zz', 'http://ä.example',
        'http://a.example/"x"', 'http://a.example/{x}', 'http://a.example:99999/']
      for (const v of bad) {
        assertFault(await post({ action: 'REDIRECT_TO_URL', redirect_url: v }), 400, URL_ERR('redirect_url', v))
        assertFault(await post({ action: 'REDIRECT_PREFIX', redirect_prefix: v }), 400, URL_ERR('redirect_prefix', v))
      }
      const long = `http://a.example/${'x'.repeat(240)}`
      assertFault(await post({ action: 'REDIRECT_TO_URL', redirect_url: long }), 400,
        `Invalid input for field/attribute redirect_url. Value: '${long}'. Value should have a maximum character requirement of 255`)
      const ok = await addPolicy(h, fx, { action: 'REDIRECT_TO_URL', redirect_url: 'https://u:p@[2001:db8::1]:8443/a%20b?c=d&e#f' })
      assert.equal(ok.redirect_url, 'https://u:p@[2001:db8::1]:8443/a%20b?c=d&e#f')
    })

    test('when the listener or the redirect pool does not fit, then 404 or 400 as Octavia', async () => {
      const missing = randomUUID()
      assertFault(await post({ action: 'REJECT' }, missing), 404, `Listener ${missing} not found.`)
      assertFault(await post({ action: 'REDIRECT_TO_POOL', redirect_pool_id: missing }), 404, `Pool ${missing} not found.`)
      const tcpPool = await addPool(h, fx.lbId, 'TCP')
      assertFault(await post({ action: 'REDIRECT_TO_POOL', redirect_pool_id: tcpPool }), 400,
        "Validation failure: The pool protocol 'TCP' is invalid while the listener protocol is 'HTTP'.")
      const other = await lbWithListener(h, 'HTTP')
      const foreignPool = await addPool(h, other.lbId, 'HTTP')
      assertFault(await post({ action: 'REDIRECT_TO_POOL', redirect_pool_id: foreignPool }), 404, `Pool ${foreignPool} not found.`)
      assert.equal(await statusOf(h, 'load_balancer', fx.lbId), 'ACTIVE')
    })

    test('when the listener protocol has no L7, then PROMETHEUS 400, noop accepts TCP, amphora 501', async () => {
      const prom = await addListener(h, fx.lbId, 'PROMETHEUS')
      assertFault(await post({ action: 'REJECT' }, prom), 400, 'Protocol PROMETHEUS listeners cannot have child objects.')
      const tcp = await addListener(h, fx.lbId, 'TCP')
      const tcpPool = await addPool(h, fx.lbId, 'TCP')
      const r = await post({ action: 'REDIRECT_TO_POOL', redirect_pool_id: tcpPool }, tcp)
      assert.equal(r.status, 201)
      await settle(h, fx.lbId)
      await h.deps.database.db.updateTable('load_balancer').set({ provider: 'amphora' }).where('id', '=', fx.lbId).execute()
      try {
        assertFault(await post({ action: 'REJECT' }, tcp), 501,
          "Provider 'amphora' does not support a requested option: TCP protocol listeners do not support L7 policies")
        assert.equal(await statusOf(h, 'load_balancer', fx.lbId), 'ACTIVE')
      } finally {
        await h.deps.database.db.updateTable('load_balancer').set({ provider: 'noop_driver' }).where('id', '=', fx.lbId).execute()
      }
    })

    test('when policies are inserted at positions, then positions stay 1-based and dense per listener', async () => {
      const l = await addListener(h, fx.lbId, 'HTTP')
      const own = { ...fx, listenerId: l }
      const a = await addPolicy(h, own, { name: 'a' })
      await addPolicy(h, own, { name: 'b' })
      assert.equal((await addPolicy(h, own, { name: 'c', position: 99 })).position, 3)
      assert.equal((await addPolicy(h, own, { name: 'd', position: 1 })).position, 1)
      const e = await addPolicy(h, own, { name: 'e', position: 3 })
      assert.deepEqual(await positions(l), ['1:d', '2:a', '3:e', '4:b', '5:c'])
      let r = await put(a.id, { position: 5 })
      assert.equal(r.status, 200)
      assert.equal(r.body.l7policy.position, 5)
      await settle(h, fx.lbId)
      assert.deepEqual(await positions(l), ['1:d', '2:e', '3:b', '4:c', '5:a'])
      r = await put(a.id, { position: 2147483647 })
      await settle(h, fx.lbId)
      assert.deepEqual(await positions(l), ['1:d', '2:e', '3:b', '4:c', '5:a'])
      assert.equal((await h.request('DELETE', `${PATH}/${e.id}`)).status, 204)
      await settle(h, fx.lbId)
      assert.deepEqual(await positions(l), ['1:d', '2:b', '3:c', '4:a'])
    })

    test('when a policy is updated, then the change is sanitised and the policy goes PENDING_UPDATE', async () => {
      const p = await addPolicy(h, fx, { action: 'REJECT', tags: ['old'] })
      let r = await put(p.id, { action: 'REDIRECT_TO_URL', redirect_url: 'http://www.example.com', tags: ['new'], name: 'n' })
      assert.equal(r.status, 200)
      assert.equal(r.body.l7policy.provisioning_status, 'PENDING_UPDATE')
      assert.deepEqual([r.body.l7policy.action, r.body.l7policy.redirect_http_code, r.body.l7policy.name], ['REDIRECT_TO_URL', 302, 'n'])
      assert.deepEqual(r.body.l7policy.tags, ['new'])
      assert.match(r.body.l7policy.updated_at, /^\d{4}-/)
      await settle(h, fx.lbId)
      r = await put(p.id, { redirect_http_code: 308 })
      assert.deepEqual([r.body.l7policy.action, r.body.l7policy.redirect_http_code], ['REDIRECT_TO_URL', 308])
      await settle(h, fx.lbId)
      r = await put(p.id, { redirect_http_code: null })
      assert.equal(r.body.l7policy.redirect_http_code, null)
      await settle(h, fx.lbId)
      r = await put(p.id, { redirect_pool_id: poolId })
      assert.deepEqual([r.body.l7policy.action, r.body.l7policy.redirect_pool_id, r.body.l7policy.redirect_url, r.body.l7policy.redirect_http_code],
        ['REDIRECT_TO_POOL', poolId, null, null])
      await settle(h, fx.lbId)
      r = await put(p.id, { redirect_prefix: 'https://p.example' })
      assert.deepEqual([r.body.l7policy.action, r.body.l7policy.redirect_pool_id, r.body.l7policy.redirect_prefix, r.body.l7policy.redirect_http_code],
        ['REDIRECT_PREFIX', null, 'https://p.example', 302])
      await settle(h, fx.lbId)
      r = await put(p.id, { action: 'REJECT', admin_state_up: false })
      assert.deepEqual([r.body.l7policy.action, r.body.l7policy.redirect_prefix, r.body.l7policy.redirect_http_code, r.body.l7policy.admin_state_up],
        ['REJECT', null, null, false])
      await settle(h, fx.lbId)
      assert.equal((await h.request('GET', `${PATH}/${p.id}`)).body.l7policy.operating_status, 'OFFLINE')
    })

    test('when an update is invalid, then 400/404 with Octavia\'s messages and nothing changes', async () => {
      const p = await addPolicy(h, fx, { action: 'REDIRECT_TO_URL', redirect_url: 'http://a.example' })
      const missing = randomUUID()
      assertFault(await put(p.id, {}), 400, 'Invalid L7 Policy arguments: Invalid update options')
      assertFault(await put(p.id, { action: 'bad action' }), 400,
        "Invalid input for field/attribute action. Value: 'bad action'. Value should be one of: REJECT, REDIRECT_TO_URL, REDIRECT_TO_POOL, REDIRECT_PREFIX")
      assertFault(await put(p.id, { action: null }), 400, 'Invalid L7 Policy action specified: None')
      assertFault(await put(p.id, { listener_id: fx.listenerId }), 400, /^Unknown attribute for argument .*: listener_id$/)
      assertFault(await put(p.id, { redirect_url: 'bad-url' }), 400, URL_ERR('redirect_url', 'bad-url'))
      assertFault(await put(p.id, { redirect_pool_id: missing }), 404, `Pool ${missing} not found.`)
      assertFault(await put(p.id, { redirect_url: null }), 400, 'Invalid L7 Policy arguments: redirect_url must not be None')
      assertFault(await put(p.id, { action: 'REDIRECT_PREFIX' }), 400, 'Invalid L7 Policy arguments: redirect_prefix must not be None')
      assertFault(await put(p.id, { redirect_http_code: '' }), 400,
        "Invalid input for field/attribute redirect_http_code. Value: ''. Value should be one of: 301, 302, 303, 307, 308")
      const got = (await h.request('GET', `${PATH}/${p.id}`)).body.l7policy
      assert.deepEqual([got.provisioning_status, got.redirect_url], ['ACTIVE', 'http://a.example'])
      assert.equal(await statusOf(h, 'load_balancer', fx.lbId), 'ACTIVE')
    })

    test('when the policy does not exist, then GET, PUT and DELETE answer 404 L7 Policy <id> not found.', async () => {
      const id = randomUUID()
      assertFault(await h.request('GET', `${PATH}/${id}`), 404, `L7 Policy ${id} not found.`)
      assertFault(await put(id, { name: 'x' }), 404, `L7 Policy ${id} not found.`)
      assertFault(await h.request('DELETE', `${PATH}/${id}`), 404, `L7 Policy ${id} not found.`)
    })

    test('when the load balancer is not ACTIVE, then create, update and delete answer 409', async () => {
      const p = await addPolicy(h, fx)
      await forceStatus(h, 'load_balancer', fx.lbId, 'PENDING_UPDATE')
      try {
        const msg = `Load Balancer ${fx.lbId} is immutable and cannot be updated.`
        assertFault(await post({ action: 'REJECT' }), 409, msg)
        assertFault(await put(p.id, { name: 'x' }), 409, msg)
        assertFault(await h.request('DELETE', `${PATH}/${p.id}`), 409, msg)
        assertFault(await post({ action: 'REDIRECT_TO_URL' }), 400, 'Invalid L7 Policy arguments: redirect_url must not be None')
      } finally {
        await forceStatus(h, 'load_balancer', fx.lbId, 'ACTIVE')
      }
      assert.equal(await statusOf(h, 'l7policy', p.id), 'ACTIVE')
    })

    test('when a policy is deleted, then it goes PENDING_DELETE and the worker removes it with its rules', async () => {
      const p = await addPolicy(h, fx, { rules: [{ type: 'PATH', compare_type: 'STARTS_WITH', value: '/x' }], tags: ['t'] })
      const ruleId = p.rules[0].id
      assert.equal((await h.request('DELETE', `${PATH}/${p.id}`)).status, 204)
      await settle(h, fx.lbId)
      assertFault(await h.request('GET', `${PATH}/${p.id}`), 404, `L7 Policy ${p.id} not found.`)
      assert.equal(await statusOf(h, 'l7rule', ruleId), undefined)
      const tags = await h.deps.database.db.selectFrom('tag').select('tag').where('resource_id', 'in', [p.id, ruleId]).execute()
      assert.deepEqual(tags, [])
    })

    test('when a policy embeds rules, then they are created with it, validated and limited to 50', async () => {
      const r = await post({
        action: 'REJECT',
        rules: [
          { type: 'PATH', compare_type: 'STARTS_WITH', value: '/api' },
          { type: 'HEADER', compare_type: 'EQUAL_TO', key: 'X-Env', value: 'prod', invert: true, tags: ['r'] },
        ],
      })
      assert.equal(r.status, 201)
      assert.equal(r.body.l7policy.rules.length, 2)
      assert.deepEqual(Object.keys(r.body.l7policy.rules[0]), ['id'])
      await settle(h, fx.lbId)
      const rules = (await h.request('GET', `${PATH}/${r.body.l7policy.id}/rules`)).body.rules
      assert.deepEqual(rules.map((x: any) => x.provisioning_status), ['ACTIVE', 'ACTIVE'])
      assert.deepEqual(rules.map((x: any) => x.project_id), [fx.projectId, fx.projectId])
      assertFault(await post({ action: 'REJECT', rules: [{ type: 'HEADER', compare_type: 'EQUAL_TO', value: 'v' }] }), 400,
        'Error parsing L7Rule: Invalid L7 Rule: L7 rule type requires a key')
      assertFault(await post({ action: 'REJECT', rules: [{ type: 'PATH', compare_type: 'EQUAL_TO', value: 'a\r\nb' }] }), 400,
        'Error parsing L7Rule: Invalid characters in value')
      const many = Array.from({ length: 51 }, () => ({ type: 'PATH', compare_type: 'STARTS_WITH', value: '/a' }))
      assertFault(await post({ action: 'REJECT', rules: many }), 409, /^Too many rules on L7 policy [0-9a-f-]{36}$/)
      const fifty = await post({ action: 'REJECT', rules: many.slice(1) })
      assert.equal(fifty.status, 201)
      assert.equal(fifty.body.l7policy.rules.length, 50)
      await settle(h, fx.lbId)
    })

    test('when policies are listed, then pagination, sorting, filters, fields and tags work', async () => {
      const l = await addListener(h, fx.lbId, 'HTTP')
      const own = { ...fx, listenerId: l }
      const a = await addPolicy(h, own, { name: 'a', tags: ['red', 'blue'] })
      const b = await addPolicy(h, own, { name: 'b', tags: ['red'], action: 'REDIRECT_TO_URL', redirect_url: 'http://b.example' })
      const c = await addPolicy(h, own, { name: 'c', tags: ['green'], admin_state_up: false })
      const list = async (q: string) => (await h.request('GET', `${PATH}?listener_id=${l}&${q}`)).body
      assert.deepEqual((await list('')).l7policies.map((p: any) => p.name), ['a', 'b', 'c'])
      assert.deepEqual((await list('sort=name:desc')).l7policies.map((p: any) => p.name), ['c', 'b', 'a'])
      const page1 = await list('limit=2')
      assert.deepEqual(page1.l7policies.map((p: any) => p.name), ['a', 'b'])
      assert.equal(page1.l7policies_links.length, 1)
      assert.equal(page1.l7policies_links[0].rel, 'next')
      assert.match(page1.l7policies_links[0].href, new RegExp(`/v2/lbaas/l7policies\\?limit=2&.*marker=${b.id}`))
      const page2 = await list(`limit=2&marker=${b.id}`)
      assert.deepEqual(page2.l7policies.map((p: any) => p.name), ['c'])
      assert.deepEqual(page2.l7policies_links.map((x: any) => x.rel), ['previous'])
      assert.deepEqual((await list('action=REDIRECT_TO_URL')).l7policies.map((p: any) => p.id), [b.id])
      assert.deepEqual((await list('admin_state_up=false')).l7policies.map((p: any) => p.id), [c.id])
      assert.deepEqual((await list('position=2')).l7policies.map((p: any) => p.id), [b.id])
      assert.deepEqual((await list('tags=red')).l7policies.map((p: any) => p.name), ['a', 'b'])
      assert.deepEqual((await list('tags=red,blue')).l7policies.map((p: any) => p.name), ['a'])
      assert.deepEqual((await list('tags-any=blue,green')).l7policies.map((p: any) => p.name), ['a', 'c'])
      assert.deepEqual((await list('not-tags=red')).l7policies.map((p: any) => p.name), ['c'])
      assert.deepEqual((await list('not-tags-any=blue,green')).l7policies.map((p: any) => p.name), ['b'])
      assert.deepEqual((await list('fields=id&fields=action')).l7policies[0], { id: a.id, action: 'REJECT' })
      const one = await h.request('GET', `${PATH}/${a.id}?fields=name&fields=rules`)
      assert.deepEqual(one.body, { l7policy: { name: 'a', rules: [] } })
      assertFault(await h.request('GET', `${PATH}?bogus=1`), 400, 'One or more arguments are either duplicate or invalid')
      assertFault(await h.request('GET', `${PATH}?marker=nope`), 400, "Supplied pagination marker 'nope' is not valid.")
      assertFault(await h.request('GET', `${PATH}?sort=rules:asc`), 400, "Supplied sort key 'rules' is not valid.")
      const v20 = await h.request('GET', `/v2.0/lbaas/l7policies.json?listener_id=${l}`)
      assert.equal(v20.body.l7policies.length, 3)
    })
  })

  describe(`l7policies in a graph create (${dialect})`, () => {
    let h: Harness
    before(async () => { h = await startHarness(dialect, L7_HARNESS_OPTIONS) })
    after(async () => { await h.close() })

    test('when a graph create inserts a listener\'s policies, then they keep their order, rules and redirect pools', async () => {
      const fx = await lbWithListener(h, 'HTTP')
      const pool = await addPool(h, fx.lbId, 'HTTP')
      const db = h.deps.database.db
      const listener = await db.selectFrom('listener').selectAll().where('id', '=', fx.listenerId).executeTakeFirstOrThrow()
      const ids = await db.transaction().execute(tx => insertListenerL7Policies(tx, h.deps, listener, [
        { action: 'REDIRECT_TO_POOL', redirect_pool_id: pool, rules: [{ type: 'PATH', compare_type: 'STARTS_WITH', value: '/a' }] },
        { action: 'REDIRECT_TO_URL', redirect_url: 'http://b.example', position: 1 },
        { action: 'REJECT' },
      ], fx.projectId))
      const rows = await db.selectFrom('l7policy').select(['id', 'position', 'provisioning_status'])
        .where('listener_id', '=', fx.listenerId).orderBy('position').execute()
      assert.deepEqual(rows.map(r => r.id), [ids[1], ids[0], ids[2]])
      assert.deepEqual(rows.map(r => r.provisioning_status), ['PENDING_CREATE', 'PENDING_CREATE', 'PENDING_CREATE'])
      const rules = await db.selectFrom('l7rule').select('provisioning_status').where('l7policy_id', '=', ids[0]).execute()
      assert.deepEqual(rules, [{ provisioning_status: 'PENDING_CREATE' }])
      await assert.rejects(db.transaction().execute(tx => insertListenerL7Policies(tx, h.deps, listener,
        [{ action: 'REDIRECT_TO_URL', redirect_url: 'bad url' }], fx.projectId)),
      { message: "Invalid input for field/attribute redirect_url. Value: 'bad url'. Value must be a valid URL string" })
    })
  })

  describe(`l7policies in flight (${dialect})`, () => {
    let h: Harness
    let fx: L7Fixture
    before(async () => {
      h = await startHarness(dialect, { ...L7_HARNESS_OPTIONS, noop_provider: { task_delay_ms: '150' } })
      fx = await lbWithListener(h, 'HTTP')
    })
    after(async () => { await h.close() })

    test('when a policy is created, updated and deleted, then LB and listener are PENDING_UPDATE until the worker is done', async () => {
      const r = await h.request('POST', PATH, { l7policy: { listener_id: fx.listenerId, action: 'REJECT' } })
      assert.equal(r.status, 201)
      const id = r.body.l7policy.id
      assert.equal(await statusOf(h, 'load_balancer', fx.lbId), 'PENDING_UPDATE')
      assert.equal(await statusOf(h, 'listener', fx.listenerId), 'PENDING_UPDATE')
      assertFault(await h.request('POST', PATH, { l7policy: { listener_id: fx.listenerId, action: 'REJECT' } }), 409,
        `Load Balancer ${fx.lbId} is immutable and cannot be updated.`)
      await settle(h, fx.lbId)
      assert.equal((await h.request('PUT', `${PATH}/${id}`, { l7policy: { name: 'x' } })).status, 200)
      assert.deepEqual([await statusOf(h, 'load_balancer', fx.lbId), await statusOf(h, 'listener', fx.listenerId),
        await statusOf(h, 'l7policy', id)], ['PENDING_UPDATE', 'PENDING_UPDATE', 'PENDING_UPDATE'])
      await settle(h, fx.lbId)
      assert.equal((await h.request('DELETE', `${PATH}/${id}`)).status, 204)
      assert.deepEqual([await statusOf(h, 'load_balancer', fx.lbId), await statusOf(h, 'listener', fx.listenerId),
        await statusOf(h, 'l7policy', id)], ['PENDING_UPDATE', 'PENDING_UPDATE', 'PENDING_DELETE'])
      assert.equal((await h.request('GET', `${PATH}/${id}`)).body.l7policy.provisioning_status, 'PENDING_DELETE')
      await settle(h, fx.lbId)
      assert.equal(await statusOf(h, 'l7policy', id), undefined)
    })
  })
}
