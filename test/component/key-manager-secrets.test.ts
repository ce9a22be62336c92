import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { startHarness, type Harness } from '../support/api-harness.js'
import { testDialects } from '../support/databases.js'
import { as, installHeaderCallers } from '../support/test-callers.js'

const KEY = randomBytes(32).toString('base64')
const ID = /^[0-9a-f-]{36}$/

for (const dialect of testDialects) {
  describe(`key manager secrets (${dialect})`, () => {
    let h: Harness
    before(async () => { h = await startHarness(dialect, { certificates: { secret_store_key: KEY } }, installHeaderCallers) })
    after(async () => { await h.close() })

    const store = async (body: Record<string, unknown>, headers: Record<string, string> = {}, prefix = '') => {
      const r = await h.request('POST', `${prefix}/v1/secrets/`, body, headers)
      assert.equal(r.status, 201, JSON.stringify(r.body))
      return r.body.secret_ref as string
    }
    const raw = (method: string, url: string, headers: Record<string, string> = {}, payload?: Buffer | string) =>
      h.app.inject({ method: method as 'GET', url, headers, payload })
    const pathOf = (ref: string) => new URL(ref).pathname

    it('when a base64 binary payload is stored, then its href is answered and the payload comes back as bytes', async () => {
      const bytes = randomBytes(300)
      const ref = await store({ name: 'tls1', payload: bytes.toString('base64'), payload_content_type: 'application/octet-stream', payload_content_encoding: 'base64' })
      assert.match(ref, /^http:\/\/localhost(:\d+)?\/v1\/secrets\/[0-9a-f-]{36}$/)
      const p = await raw('GET', `${pathOf(ref)}/payload`, { accept: 'application/octet-stream' })
      assert.equal(p.statusCode, 200)
      assert.equal(p.headers['content-type'], 'application/octet-stream')
      assert.deepEqual(p.rawPayload, bytes)
      const noAccept = await raw('GET', `${pathOf(ref)}/payload`)
      assert.deepEqual(noAccept.rawPayload, bytes)
    })

    it('when metadata is read, then it has Barbican\'s fields and nothing of the payload', async () => {
      const payload = `secret-${randomBytes(8).toString('hex')}`
      const ref = await store({ name: 'meta', payload, payload_content_type: 'text/plain', algorithm: 'aes', bit_length: 256, mode: 'cbc' })
      const r = await h.request('GET', pathOf(ref), undefined, { accept: 'application/json' })
      assert.equal(r.status, 200)
      const m = r.body
      assert.deepEqual(Object.keys(m).sort(), ['algorithm', 'bit_length', 'content_types', 'created', 'creator_id', 'expiration', 'mode', 'name', 'secret_ref', 'secret_type', 'status', 'updated'])
      assert.equal(m.secret_ref, ref)
      assert.deepEqual(m.content_types, { default: 'text/plain' })
      assert.equal(m.status, 'ACTIVE')
      assert.equal(m.secret_type, 'opaque')
      assert.match(m.created, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/)
      assert.ok(!JSON.stringify(m).includes(payload))
      const text = await raw('GET', `${pathOf(ref)}/payload`, { accept: 'text/plain' })
      assert.equal(text.body, payload)
      assert.match(String(text.headers['content-type']), /^text\/plain/)
    })

    it('when GET /secrets/{id} asks for another media type, then the payload answers (Barbican\'s deprecated read)', async () => {
      const ref = await store({ payload: 'abc', payload_content_type: 'text/plain' })
      const r = await raw('GET', pathOf(ref), { accept: 'text/plain' })
      assert.equal(r.statusCode, 200)
      assert.equal(r.body, 'abc')
    })

    it('when secrets are listed, then name filter, paging hrefs and total are Barbican\'s', async () => {
      for (let i = 0; i < 3; i++) await store({ name: 'paged', payload: `p${i}`, payload_content_type: 'text/plain' })
      const r = await h.request('GET', '/v1/secrets?limit=2&offset=0&name=paged')
      assert.equal(r.status, 200)
      assert.equal(r.body.total, 3)
      assert.equal(r.body.secrets.length, 2)
      assert.equal(r.body.previous, undefined)
      assert.equal(new URL(r.body.next).search, '?limit=2&offset=2&name=paged')
      const second = await h.request('GET', '/v1/secrets?limit=2&offset=2&name=paged')
      assert.equal(second.body.secrets.length, 1)
      assert.equal(second.body.next, undefined)
      assert.equal(new URL(second.body.previous).search, '?limit=2&offset=0&name=paged')
      for (const s of [...r.body.secrets, ...second.body.secrets]) assert.ok(!('payload' in s))
      assert.deepEqual((await h.request('GET', '/v1/secrets?name=none-such')).body, { secrets: [], total: 0 })
    })

    it('when a secret is created without payload, then PUT stores it once (two-step store)', async () => {
      const ref = await store({ name: 'two-step' })
      const meta = await h.request('GET', pathOf(ref))
      assert.equal(meta.body.content_types, undefined)
      const none = await raw('GET', `${pathOf(ref)}/payload`)
      assert.equal(none.statusCode, 404)
      assert.equal(JSON.parse(none.body).description, 'Not Found. Sorry but your secret has no payload.')
      const bytes = randomBytes(40)
      const put = await raw('PUT', pathOf(ref), { 'content-type': 'application/octet-stream' }, bytes)
      assert.equal(put.statusCode, 204, put.body)
      assert.deepEqual((await raw('GET', `${pathOf(ref)}/payload`)).rawPayload, bytes)
      const again = await raw('PUT', pathOf(ref), { 'content-type': 'application/octet-stream' }, bytes)
      assert.equal(again.statusCode, 409)
      assert.equal(JSON.parse(again.body).description, 'Secret already has data, cannot modify it.')
    })

    it('when a request is invalid, then the answer is Barbican\'s code, title and description', async () => {
      const cases: [unknown, number, string][] = [
        [{ payload: 'x' }, 400, "Provided object does not match schema 'Secret': If 'payload' is supplied, 'payload_content_type' must also be supplied.. Invalid property: 'payload_content_type'"],
        [{ payload: '', payload_content_type: 'text/plain' }, 400, "Provided object does not match schema 'Secret': If 'payload' specified, must be non empty. Invalid property: 'payload'"],
        [{ payload: 'x', payload_content_type: 'image/png' }, 400, "Provided object does not match schema 'Secret': payload_content_type is not one of ['text/plain', 'text/plain;charset=utf-8', 'text/plain; charset=utf-8', 'application/octet-stream', 'application/pkcs8']. Invalid property: 'payload_content_type'"],
        [{ payload: 'x'.repeat(20001), payload_content_type: 'text/plain' }, 413, 'Provided information too large to process'],
        [{ secret_type: 'bogus' }, 400, "Provided object does not match schema 'Secret': 'bogus' is not one of ['symmetric', 'passphrase', 'private', 'public', 'certificate', 'opaque']. Invalid property: 'secret_type'"],
        [{ expiration: '2001-01-01T00:00:00Z' }, 400, "Provided object does not match schema 'Secret': 'expiration' is before current time. Invalid property: 'expiration'"],
      ]
      for (const [body, status, description] of cases) {
        const r = await h.request('POST', '/v1/secrets', body)
        assert.equal(r.status, status, JSON.stringify(body).slice(0, 80))
        assert.deepEqual(r.body, { code: status, title: status === 413 ? 'Request Entity Too Large' : 'Bad Request', description })
      }
      const bad = await raw('POST', '/v1/secrets', { 'content-type': 'application/json' }, '{"payload": "oops')
      assert.deepEqual(JSON.parse(bad.body), { code: 400, title: 'Bad Request', description: 'Malformed JSON' })
      const plain = await raw('POST', '/v1/secrets', { 'content-type': 'text/plain' }, 'x')
      assert.equal(plain.statusCode, 415)
      assert.equal((await h.request('GET', '/v1/secrets/not-a-uuid')).body.description, 'Not Found. Provided secret id is invalid.')
      assert.equal((await h.request('GET', '/v1/secrets/2b1c4ec5-0e5b-4d69-8f36-1c3c2b1e9a55')).body.description, 'Secret not found.')
    })

    it('when a secret is deleted, then it is gone (204, then 404)', async () => {
      const ref = await store({ payload: 'bye', payload_content_type: 'text/plain' })
      assert.equal((await h.request('DELETE', pathOf(ref))).status, 204)
      assert.equal((await h.request('GET', pathOf(ref))).status, 404)
      assert.equal((await h.request('DELETE', pathOf(ref))).status, 404)
    })

    it('when stored under /key-manager, then hrefs carry that prefix and both mounts read the same secret', async () => {
      const ref = await store({ payload: 'mounted', payload_content_type: 'text/plain' }, {}, '/key-manager')
      assert.match(ref, /\/key-manager\/v1\/secrets\/[0-9a-f-]{36}$/)
      const id = ref.slice(-36)
      assert.equal((await raw('GET', `/v1/secrets/${id}/payload`)).body, 'mounted')
      const doc = await h.request('GET', '/key-manager/')
      assert.equal(doc.status, 300)
      assert.equal(doc.body.versions.values[0].id, 'v1')
      assert.match(doc.body.versions.values[0].links[0].href, /\/key-manager\/v1\/$/)
      assert.equal((await h.request('GET', '/v1')).body.version.id, 'v1')
    })

    describe('projects and roles', () => {
      const P1 = 'project-one'
      const P2 = 'project-two'
      let ref = ''
      before(async () => { ref = await store({ name: 'owned', payload: 'p1-secret', payload_content_type: 'text/plain' }, as(P1, 'member', 'reader')) })

      it('when a member of the owning project reads, then metadata and payload answer', async () => {
        assert.equal((await h.request('GET', pathOf(ref), undefined, as(P1, 'member'))).status, 200)
        assert.equal((await raw('GET', `${pathOf(ref)}/payload`, as(P1, 'member'))).body, 'p1-secret')
        const list = await h.request('GET', '/v1/secrets?name=owned', undefined, as(P1, 'member'))
        assert.equal(list.body.total, 1)
      })

      it('when another project\'s member reads, lists or deletes, then Barbican\'s 403 answers and its list is empty', async () => {
        const meta = await h.request('GET', pathOf(ref), undefined, as(P2, 'member'))
        assert.deepEqual(meta.body, { code: 403, title: 'Forbidden', description: 'Secret retrieval attempt not allowed - please review your user/project privileges' })
        const payload = await raw('GET', `${pathOf(ref)}/payload`, as(P2, 'member'))
        assert.equal(payload.statusCode, 403)
        assert.ok(!payload.body.includes('p1-secret'))
        assert.equal((await h.request('DELETE', pathOf(ref), undefined, as(P2, 'member'))).status, 403)
        assert.deepEqual((await h.request('GET', '/v1/secrets?name=owned', undefined, as(P2, 'member'))).body, { secrets: [], total: 0 })
      })

      it('when a reader without member role stores or lists, then 403', async () => {
        assert.equal((await h.request('POST', '/v1/secrets', { payload: 'x', payload_content_type: 'text/plain' }, as(P1, 'reader'))).status, 403)
        assert.equal((await h.request('GET', '/v1/secrets', undefined, as(P1, 'reader'))).status, 403)
      })

      it('when another project\'s admin reads, then metadata answers but the payload is 403', async () => {
        assert.equal((await h.request('GET', pathOf(ref), undefined, as(P2, 'admin'))).status, 200)
        assert.equal((await raw('GET', `${pathOf(ref)}/payload`, as(P2, 'admin'))).statusCode, 403)
      })
    })

    it('when the id is stored, then the payload column holds no plaintext', async () => {
      const marker = `marker-${randomBytes(12).toString('hex')}`
      const ref = await store({ payload: marker, payload_content_type: 'text/plain' })
      const row = await h.deps.database.db.selectFrom('secret').selectAll().where('id', '=', ref.slice(-36)).executeTakeFirstOrThrow()
      assert.match(row.id, ID)
      assert.ok(row.payload_sealed !== null)
      assert.ok(!JSON.stringify(row).includes(marker))
      assert.ok(!Buffer.from(row.payload_sealed, 'base64').includes(Buffer.from(marker)))
    })
  })
}
