import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { startHarness, type Harness } from '../support/api-harness.js'
import { testDialects } from '../support/databases.js'
import { as, installHeaderCallers } from '../support/test-callers.js'

const P1 = 'project-one'
const P2 = 'project-two'

for (const dialect of testDialects) {
  describe(`key manager containers (${dialect})`, () => {
    let h: Harness
    before(async () => { h = await startHarness(dialect, { certificates: { secret_store_key: randomBytes(32).toString('base64') } }, installHeaderCallers) })
    after(async () => { await h.close() })

    const secret = async (headers = as(P1, 'member')) => {
      const r = await h.request('POST', '/v1/secrets', { payload: 'x', payload_content_type: 'text/plain' }, headers)
      assert.equal(r.status, 201)
      return r.body.secret_ref as string
    }
    const create = (body: unknown, headers = as(P1, 'member')) => h.request('POST', '/v1/containers', body, headers)
    const path = (ref: string) => new URL(ref).pathname

    it('when a certificate container is created, then it shows its references by name with Barbican\'s fields', async () => {
      const cert = await secret()
      const key = await secret()
      const r = await create({ type: 'certificate', name: 'tls', secret_refs: [{ name: 'certificate', secret_ref: cert }, { name: 'private_key', secret_ref: key }] })
      assert.equal(r.status, 201, JSON.stringify(r.body))
      assert.equal(r.headers.location, r.body.container_ref)
      const shown = await h.request('GET', path(r.body.container_ref), undefined, as(P1, 'member'))
      assert.equal(shown.status, 200)
      const c = shown.body
      assert.deepEqual(Object.keys(c).sort(), ['consumers', 'container_ref', 'created', 'creator_id', 'name', 'secret_refs', 'status', 'type', 'updated'])
      assert.deepEqual(c.secret_refs, [{ secret_ref: cert, name: 'certificate' }, { secret_ref: key, name: 'private_key' }])
      assert.equal(c.type, 'certificate')
      assert.equal(c.creator_id, 'test-user')
    })

    it('when a container is invalid, then Barbican\'s 400 or 404 answers', async () => {
      const cert = await secret()
      const cases: [unknown, number, string][] = [
        [{ name: 'x' }, 400, "Provided object does not match schema 'Container': 'type' is a required property. Invalid property: 'type'"],
        [{ type: 'certificate', secret_refs: [{ name: 'private_key', secret_ref: cert }] }, 400,
          "Provided object does not match schema 'Container': The minimum required reference name is 'certificate' for Certificate type. Invalid property: 'secret_refs'"],
        [{ type: 'certificate', secret_refs: [{ name: 'certificate', secret_ref: cert }, { name: 'other', secret_ref: await secret() }] }, 400,
          "Provided object does not match schema 'Container': only 'private_key', 'certificate' , 'private_key_passphrase',  or 'intermediates' reference names are allowed for Certificate type. Invalid property: 'secret_refs'"],
        [{ type: 'generic', secret_refs: [{ name: 'a', secret_ref: cert }, { name: 'a', secret_ref: await secret() }] }, 400,
          "Provided object does not match schema 'Container': Duplicate reference names are not allowed. Invalid property: 'secret_refs'"],
        [{ type: 'generic', secret_refs: [{ name: 'a', secret_ref: cert.replace(/[0-9a-f-]{36}$/, '2b1c4ec5-0e5b-4d69-8f36-1c3c2b1e9a55') }] }, 404,
          "Secret provided for 'a' doesn't exist."],
        [{ type: 'generic', secret_refs: [{ name: 'a', secret_ref: cert.replace('localhost', 'elsewhere.example.com') }] }, 400, 'Provided field value is not supported'],
      ]
      for (const [body, status, description] of cases) {
        const r = await create(body)
        assert.equal(r.status, status, JSON.stringify(r.body))
        assert.equal(r.body.description, description)
      }
    })

    it('when another project\'s secret is referenced, then it does not exist for the caller (404)', async () => {
      const foreign = await secret(as(P2, 'member'))
      const r = await create({ type: 'generic', secret_refs: [{ name: 'a', secret_ref: foreign }] })
      assert.equal(r.status, 404)
    })

    it('when containers are listed, then each project sees its own with paging hrefs and total', async () => {
      for (let i = 0; i < 3; i++) assert.equal((await create({ type: 'generic', name: 'listed', secret_refs: [] }, as(P2, 'member'))).status, 201)
      const r = await h.request('GET', '/v1/containers?limit=2', undefined, as(P2, 'member'))
      assert.equal(r.status, 200)
      assert.equal(r.body.total, 3)
      assert.equal(r.body.containers.length, 2)
      assert.equal(new URL(r.body.next).search, '?limit=2&offset=2')
      const own = await h.request('GET', '/v1/containers?name=listed', undefined, as(P1, 'member'))
      assert.deepEqual(own.body, { containers: [], total: 0 })
    })

    it('when another project\'s member reads or deletes a container, then 403; its owner deletes it (204, then 404)', async () => {
      const r = await create({ type: 'generic', secret_refs: [{ name: 's', secret_ref: await secret() }] })
      const p = path(r.body.container_ref)
      const foreign = await h.request('GET', p, undefined, as(P2, 'member'))
      assert.deepEqual(foreign.body, { code: 403, title: 'Forbidden', description: 'Container retrieval attempt not allowed - please review your user/project privileges' })
      assert.equal((await h.request('DELETE', p, undefined, as(P2, 'member'))).status, 403)
      assert.equal((await h.request('DELETE', p, undefined, as(P1, 'member'))).status, 204)
      assert.equal((await h.request('GET', p, undefined, as(P1, 'member'))).body.description, 'Secrets container not found.')
      assert.equal((await h.request('GET', '/v1/containers/nope', undefined, as(P1, 'member'))).body.description, 'Not Found. Provided container id is invalid.')
    })
  })
}
