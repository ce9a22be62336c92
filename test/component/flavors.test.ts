import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { nowIso } from '../../src/common/time.js'
import { findFlavorWithProfile } from '../../src/db/repositories/flavor-repository.js'
import { startHarness, type Harness } from '../support/api-harness.js'
import { testDialects } from '../support/databases.js'

const FPS = '/v2/lbaas/flavorprofiles'
const FLAVORS = '/v2/lbaas/flavors'
const LBS = '/v2/lbaas/loadbalancers'
const NIL = '00000000-0000-0000-0000-000000000000'

for (const dialect of testDialects) {
  describe(`flavor profiles and flavors (${dialect})`, () => {
    let h: Harness
    before(async () => { h = await startHarness(dialect) })
    after(async () => { await h.close() })

    const fault = async (method: string, url: string, body: unknown, status: number, message: string) => {
      const r = await h.request(method, url, body)
      assert.equal(r.status, status, JSON.stringify(r.body))
      assert.equal(r.body.faultstring, message)
    }
    const profile = async (data = '{"x": "y"}', name = 'fp') => {
      const r = await h.request('POST', FPS, { flavorprofile: { name, provider_name: 'noop_driver', flavor_data: data } })
      assert.equal(r.status, 201, JSON.stringify(r.body))
      return r.body.flavorprofile as Record<string, any>
    }
    const flavor = async (profileId: string, extra: Record<string, unknown> = {}) => {
      const r = await h.request('POST', FLAVORS, { flavor: { name: `f-${randomUUID()}`, flavor_profile_id: profileId, ...extra } })
      assert.equal(r.status, 201, JSON.stringify(r.body))
      return r.body.flavor as Record<string, any>
    }
    const subnetId = () => h.deps.network.listSubnets()[0].id
    const createLb = (extra: Record<string, unknown> = {}) =>
      h.request('POST', LBS, { loadbalancer: { vip_subnet_id: subnetId(), ...extra } })

    describe('flavor profiles', () => {
      it('when none exist, then the list is empty with flavorprofile_links', async () => {
        const r = await h.request('GET', `${FPS}?name=nothing-here`)
        assert.equal(r.status, 200)
        assert.deepEqual(r.body, { flavorprofiles: [], flavorprofile_links: [] })
      })

      it('when one is created, then it is answered and shown as given', async () => {
        const r = await h.request('POST', FPS, { flavorprofile: { name: 'test1', provider_name: 'noop_driver', flavor_data: '{"hello": "world"}' } })
        assert.equal(r.status, 201)
        const fp = r.body.flavorprofile
        assert.match(fp.id, /^[0-9a-f-]{36}$/)
        assert.deepEqual(fp, { id: fp.id, name: 'test1', provider_name: 'noop_driver', flavor_data: '{"hello": "world"}' })
        const g = await h.request('GET', `${FPS}/${fp.id}`)
        assert.deepEqual(g.body, { flavorprofile: fp })
        const f = await h.request('GET', `${FPS}/${fp.id}?fields=id&fields=provider_name`)
        assert.deepEqual(f.body, { flavorprofile: { id: fp.id, provider_name: 'noop_driver' } })
      })

      it('when the flavor data is an empty object, then it is accepted', async () => {
        const fp = await profile('{}')
        assert.equal(fp.flavor_data, '{}')
      })

      it('when a mandatory attribute is missing, then the answer is WSME\'s 400', async () => {
        const body = { name: 'n', provider_name: 'noop_driver', flavor_data: '{}' }
        for (const attr of ['name', 'provider_name', 'flavor_data'] as const) {
          const { [attr]: _gone, ...rest } = body
          await fault('POST', FPS, { flavorprofile: rest }, 400,
            `Invalid input for field/attribute ${attr}. Value: 'None'. Mandatory field missing.`)
        }
      })

      it('when an attribute is too long, then the answer is 400', async () => {
        for (const fp of [
          { name: 'n'.repeat(256), provider_name: 'noop_driver', flavor_data: '{}' },
          { name: 'n', provider_name: 'n'.repeat(256), flavor_data: '{}' },
          { name: 'n', provider_name: 'noop_driver', flavor_data: 'n'.repeat(4097) },
        ]) {
          const r = await h.request('POST', FPS, { flavorprofile: fp })
          assert.equal(r.status, 400)
        }
      })

      it('when the flavor data is not JSON, then the answer is 400 "<data> is not a valid option for flavor_data"', async () => {
        await fault('POST', FPS, { flavorprofile: { name: 'n', provider_name: 'noop_driver', flavor_data: '{hello: "world"}' } },
          400, '{hello: "world"} is not a valid option for flavor_data')
      })

      it('when the provider is not enabled, then the answer is 400 and nothing is created', async () => {
        await fault('POST', FPS, { flavorprofile: { name: 'bogus-fp', provider_name: 'bogus', flavor_data: '{}' } },
          400, "Provider 'bogus' is not enabled.")
        const r = await h.request('GET', `${FPS}?name=bogus-fp`)
        assert.deepEqual(r.body.flavorprofiles, [])
      })

      it('when the NIL UUID or an unknown id is read, then the answer is 404 with Octavia\'s capitalisation', async () => {
        await fault('GET', `${FPS}/${NIL}`, undefined, 404, `Flavor profile ${NIL} not found.`)
        const id = randomUUID()
        await fault('GET', `${FPS}/${id}`, undefined, 404, `Flavor Profile ${id} not found.`)
      })

      it('when listing with filters, sorting, fields and pages, then Octavia\'s list rules apply', async () => {
        const tag = randomUUID().slice(0, 8)
        const a = await profile('{"a": 1}', `${tag}-b`)
        const b = await profile('{"b": 2}', `${tag}-a`)
        let r = await h.request('GET', `${FPS}?name=${tag}-b`)
        assert.deepEqual(r.body.flavorprofiles.map((p: any) => p.id), [a.id])
        r = await h.request('GET', `${FPS}?sort=name:asc&fields=name`)
        const names = r.body.flavorprofiles.map((p: any) => p.name).filter((n: string) => n.startsWith(tag))
        assert.deepEqual(names, [`${tag}-a`, `${tag}-b`])
        assert.deepEqual(Object.keys(r.body.flavorprofiles[0]), ['name'])
        r = await h.request('GET', `${FPS}?provider_name=noop_driver&limit=1`)
        assert.equal(r.body.flavorprofiles.length, 1)
        assert.equal(r.body.flavorprofile_links[0].rel, 'next')
        const marker = new URL(r.body.flavorprofile_links[0].href).searchParams.get('marker')
        r = await h.request('GET', `${FPS}?provider_name=noop_driver&limit=1&marker=${marker}`)
        assert.notEqual(r.body.flavorprofiles[0].id, marker)
        assert.ok(r.body.flavorprofile_links.some((l: any) => l.rel === 'previous'))
        const badMarker = randomUUID()
        await fault('GET', `${FPS}?marker=${badMarker}`, undefined, 400, `Supplied pagination marker '${badMarker}' is not valid.`)
        assert.ok(b.id)
        r = await h.request('GET', `${FPS}?bogus=1`)
        assert.equal(r.status, 400)
        assert.equal(r.body.faultstring, 'One or more arguments are either duplicate or invalid')
      })

      it('when updated, then name, provider and data change; an empty update changes nothing', async () => {
        const fp = await profile()
        let r = await h.request('PUT', `${FPS}/${fp.id}`, { flavorprofile: { name: 'the_profile', provider_name: 'noop_driver', flavor_data: '{"hello": "world"}' } })
        assert.equal(r.status, 200)
        assert.deepEqual(r.body.flavorprofile, { id: fp.id, name: 'the_profile', provider_name: 'noop_driver', flavor_data: '{"hello": "world"}' })
        r = await h.request('PUT', `${FPS}/${fp.id}`, { flavorprofile: {} })
        assert.equal(r.status, 200)
        assert.equal(r.body.flavorprofile.name, 'the_profile')
        // NOTE: as Octavia, a provider_name without flavor_data is not validated.
        r = await h.request('PUT', `${FPS}/${fp.id}`, { flavorprofile: { provider_name: 'noop_driver-alt' } })
        assert.equal(r.status, 200)
        assert.equal(r.body.flavorprofile.provider_name, 'noop_driver-alt')
        await fault('PUT', `${FPS}/${fp.id}`, { flavorprofile: { flavor_data: '{"x": 1}' } }, 400, "Provider 'noop_driver-alt' is not enabled.")
      })

      it('when an update sets an attribute to null, then the answer is 400 "None is not a valid option for <attr>"', async () => {
        const fp = await profile()
        for (const attr of ['name', 'provider_name', 'flavor_data']) {
          await fault('PUT', `${FPS}/${fp.id}`, { flavorprofile: { [attr]: null } }, 400, `None is not a valid option for ${attr}`)
        }
      })

      it('when an update carries invalid JSON, or names the NIL UUID or an unknown id, then 400/404', async () => {
        const fp = await profile()
        await fault('PUT', `${FPS}/${fp.id}`, { flavorprofile: { flavor_data: 'nope' } }, 400, 'nope is not a valid option for flavor_data')
        await fault('PUT', `${FPS}/${NIL}`, { flavorprofile: { name: 'x' } }, 404, `Flavor profile ${NIL} not found.`)
        const id = randomUUID()
        await fault('PUT', `${FPS}/${id}`, { flavorprofile: { name: 'x' } }, 404, `Flavor Profile ${id} not found.`)
      })

      it('when a flavor uses the profile, then provider and data are frozen (409) but the name may change', async () => {
        const fp = await profile()
        await flavor(fp.id)
        const inUse = `Flavor profile ${fp.id} is in use and cannot be modified.`
        await fault('PUT', `${FPS}/${fp.id}`, { flavorprofile: { name: 'x', provider_name: 'noop_driver-alt' } }, 409, inUse)
        await fault('PUT', `${FPS}/${fp.id}`, { flavorprofile: { flavor_data: '{"hello": "world"}' } }, 409, inUse)
        const r = await h.request('PUT', `${FPS}/${fp.id}`, { flavorprofile: { name: 'renamed' } })
        assert.equal(r.status, 200)
        assert.deepEqual(r.body.flavorprofile, { ...fp, name: 'renamed' })
        await fault('DELETE', `${FPS}/${fp.id}`, undefined, 409, inUse)
      })

      it('when deleted, then it is gone; the NIL UUID and unknown ids are 404', async () => {
        const fp = await profile()
        let r = await h.request('DELETE', `${FPS}/${fp.id}`)
        assert.equal(r.status, 204)
        assert.equal(r.body, null)
        await fault('GET', `${FPS}/${fp.id}`, undefined, 404, `Flavor Profile ${fp.id} not found.`)
        await fault('DELETE', `${FPS}/${NIL}`, undefined, 404, `Flavor profile ${NIL} not found.`)
        await fault('DELETE', `${FPS}/bogus_id`, undefined, 404, 'Flavor profile bogus_id not found.')
        r = await h.request('DELETE', `${FPS}/${fp.id}`)
        assert.equal(r.status, 404)
      })
    })

    describe('with the amphora provider enabled', () => {
      let ha: Harness
      before(async () => {
        ha = await startHarness(dialect, {
          api_settings: { enabled_provider_drivers: 'noop_driver:The no-op driver.,amphora:The Octavia Amphora driver.' },
        })
      })
      after(async () => { await ha.close() })
      const post = (data: string) =>
        ha.request('POST', FPS, { flavorprofile: { name: 'amp', provider_name: 'amphora', flavor_data: data } })

      it('when the metadata uses the amphora driver\'s keys, then the profile is created', async () => {
        const r = await post('{"loadbalancer_topology": "ACTIVE_STANDBY", "compute_flavor": "m1.amphora"}')
        assert.equal(r.status, 201, JSON.stringify(r.body))
      })

      it('when the metadata has a key or value the amphora driver does not support, then 501 from the driver', async () => {
        let r = await post('{"bogus": 1}')
        assert.equal(r.status, 501)
        assert.equal(r.body.faultstring, "Provider 'amphora' does not support a requested option: Additional properties are not allowed ('bogus' was unexpected)")
        r = await post('{"loadbalancer_topology": "TRIPLE"}')
        assert.equal(r.status, 501)
        assert.match(r.body.faultstring, /^Provider 'amphora' does not support a requested option: loadbalancer_topology/)
        const ok = await post('{}')
        r = await ha.request('PUT', `${FPS}/${ok.body.flavorprofile.id}`, { flavorprofile: { flavor_data: '{"bogus": 1}' } })
        assert.equal(r.status, 501)
      })
    })

    describe('flavors', () => {
      let fp: Record<string, any>
      before(async () => { fp = await profile('{"image": "ubuntu"}') })

      it('when created with only a name and a profile, then enabled is true and the description ""', async () => {
        const r = await h.request('POST', FLAVORS, { flavor: { name: 'test1', flavor_profile_id: fp.id } })
        assert.equal(r.status, 201)
        const f = r.body.flavor
        assert.deepEqual(f, { id: f.id, name: 'test1', description: '', enabled: true, flavor_profile_id: fp.id })
        const g = await h.request('GET', `${FLAVORS}/${f.id}?fields=id&fields=flavor_profile_id`)
        assert.deepEqual(g.body, { flavor: { id: f.id, flavor_profile_id: fp.id } })
      })

      it('when a mandatory attribute is missing or malformed, then WSME\'s 400s', async () => {
        await fault('POST', FLAVORS, { flavor: { flavor_profile_id: fp.id } }, 400,
          "Invalid input for field/attribute name. Value: 'None'. Mandatory field missing.")
        await fault('POST', FLAVORS, { flavor: { name: 'xyz' } }, 400,
          "Invalid input for field/attribute flavor_profile_id. Value: 'None'. Mandatory field missing.")
        await fault('POST', FLAVORS, { flavor: { name: 'xyz', flavor_profile_id: 'bogus' } }, 400,
          "Invalid input for field/attribute flavor_profile_id. Value: 'bogus'. Value should be UUID format")
        for (const body of [{ name: 'n'.repeat(256), flavor_profile_id: fp.id }, { name: 'n', description: 'd'.repeat(256), flavor_profile_id: fp.id }]) {
          assert.equal((await h.request('POST', FLAVORS, { flavor: body })).status, 400)
        }
      })

      it('when the name is taken, then 409 "A flavor of <name> already exists."', async () => {
        await flavor(fp.id, { name: 'dup-name' })
        await fault('POST', FLAVORS, { flavor: { name: 'dup-name', flavor_profile_id: fp.id } }, 409, 'A flavor of dup-name already exists.')
      })

      it('when the profile does not exist, then 404 and nothing is created', async () => {
        const id = randomUUID()
        await fault('POST', FLAVORS, { flavor: { name: 'orphan', flavor_profile_id: id } }, 404, `Flavor Profile ${id} not found.`)
        const r = await h.request('GET', `${FLAVORS}?name=orphan`)
        assert.deepEqual(r.body, { flavors: [], flavors_links: [] })
      })

      it('when listed, then filters, fields and sorting apply and the NIL UUID is a 404', async () => {
        const a = await flavor(fp.id, { name: 'list-a', description: 'description' })
        const b = await flavor(fp.id, { name: 'list-b', enabled: false })
        let r = await h.request('GET', `${FLAVORS}?enabled=false`)
        assert.ok(r.body.flavors.some((f: any) => f.id === b.id))
        assert.ok(!r.body.flavors.some((f: any) => f.id === a.id))
        r = await h.request('GET', `${FLAVORS}?name=list-a`)
        assert.deepEqual(r.body.flavors, [{ id: a.id, name: 'list-a', description: 'description', enabled: true, flavor_profile_id: fp.id }])
        r = await h.request('GET', `${FLAVORS}?fields=id&fields=name&sort=name:desc`)
        const names = r.body.flavors.map((f: any) => f.name).filter((n: string) => n.startsWith('list-'))
        assert.deepEqual(names, ['list-b', 'list-a'])
        for (const f of r.body.flavors) assert.deepEqual(Object.keys(f).sort(), ['id', 'name'])
        await fault('GET', `${FLAVORS}/${NIL}`, undefined, 404, `Flavor ${NIL} not found.`)
      })

      it('when updated, then name, description and enabled change; the profile cannot be changed', async () => {
        const f = await flavor(fp.id, { name: 'Fancy_Flavor', description: 'A great flavor. Pick me!' })
        let r = await h.request('PUT', `${FLAVORS}/${f.id}`, { flavor: { name: 'Better_Flavor', description: 'An even better flavor. Pick me!', enabled: false } })
        assert.equal(r.status, 200)
        assert.deepEqual(r.body.flavor, { id: f.id, name: 'Better_Flavor', description: 'An even better flavor. Pick me!', enabled: false, flavor_profile_id: fp.id })
        r = await h.request('PUT', `${FLAVORS}/${f.id}`, { flavor: {} })
        assert.equal(r.body.flavor.name, 'Better_Flavor')
        r = await h.request('PUT', `${FLAVORS}/${f.id}`, { flavor: { flavor_profile_id: randomUUID() } })
        assert.equal(r.status, 400)
        assert.equal((await h.request('GET', `${FLAVORS}/${f.id}`)).body.flavor.flavor_profile_id, fp.id)
        await fault('PUT', `${FLAVORS}/${NIL}`, { flavor: { name: 'x' } }, 404, `Flavor ${NIL} not found.`)
        const unknown = randomUUID()
        await fault('PUT', `${FLAVORS}/${unknown}`, { flavor: { name: 'x' } }, 404, `Flavor ${unknown} not found.`)
        await flavor(fp.id, { name: 'taken' })
        await fault('PUT', `${FLAVORS}/${f.id}`, { flavor: { name: 'taken' } }, 409, 'A flavor of taken already exists.')
      })

      it('when deleted, then it is gone; unknown and NIL ids are 404', async () => {
        const f = await flavor(fp.id)
        assert.equal((await h.request('DELETE', `${FLAVORS}/${f.id}`)).status, 204)
        await fault('GET', `${FLAVORS}/${f.id}`, undefined, 404, `Flavor ${f.id} not found.`)
        await fault('DELETE', `${FLAVORS}/bogus_id`, undefined, 404, 'Flavor bogus_id not found.')
        await fault('DELETE', `${FLAVORS}/${NIL}`, undefined, 404, `Flavor ${NIL} not found.`)
      })
    })

    describe('load balancers with a flavor', () => {
      it('when the flavor sets the topology, then the load balancer stores it, its flavor_id and provider', async () => {
        const f = await flavor((await profile('{"loadbalancer_topology": "ACTIVE_STANDBY"}')).id)
        const r = await createLb({ flavor_id: f.id })
        assert.equal(r.status, 201, JSON.stringify(r.body))
        const lb = r.body.loadbalancer
        assert.equal(lb.flavor_id, f.id)
        assert.equal(lb.provider, 'noop_driver')
        const row = await h.deps.database.db.selectFrom('load_balancer').selectAll().where('id', '=', lb.id).executeTakeFirstOrThrow()
        assert.equal(row.topology, 'ACTIVE_STANDBY')
        assert.equal(row.flavor_id, f.id)
        const job = await h.deps.database.db.selectFrom('job').select('payload').where('load_balancer_id', '=', lb.id).executeTakeFirstOrThrow()
        assert.deepEqual(JSON.parse(job.payload), { loadBalancerId: lb.id })
        await h.waitFor(`${LBS}/${lb.id}`)
      })

      it('when the flavor has no topology, then the configured one is stored', async () => {
        const f = await flavor((await profile('{}')).id)
        const r = await createLb({ flavor_id: f.id })
        assert.equal(r.status, 201)
        const row = await h.deps.database.db.selectFrom('load_balancer').select('topology').where('id', '=', r.body.loadbalancer.id).executeTakeFirstOrThrow()
        assert.equal(row.topology, h.config.controller_worker.loadbalancer_topology)
      })

      it('when the flavor asks for an SR-IOV VIP, then vip_vnic_type is direct', async () => {
        const f = await flavor((await profile('{"sriov_vip": true}')).id)
        const r = await createLb({ flavor_id: f.id })
        assert.equal(r.status, 201)
        assert.equal(r.body.loadbalancer.vip_vnic_type, 'direct')
      })

      it('when the flavor is unknown or disabled, then Octavia\'s 400s and nothing is created', async () => {
        const before = await countLbs(h)
        const unknown = randomUUID()
        let r = await createLb({ flavor_id: unknown })
        assert.equal(r.status, 400)
        assert.equal(r.body.faultstring, 'Validation failure: Invalid flavor_id.')
        const f = await flavor((await profile()).id, { enabled: false })
        r = await createLb({ flavor_id: f.id })
        assert.equal(r.status, 400)
        assert.equal(r.body.faultstring, `The selected flavor is not allowed in this deployment: ${f.id}`)
        assert.equal(await countLbs(h), before)
      })

      it('when another provider is requested than the flavor\'s, then 400 not compatible', async () => {
        const f = await flavor((await profile()).id)
        const r = await createLb({ flavor_id: f.id, provider: 'amphora' })
        assert.equal(r.status, 400)
        assert.equal(r.body.faultstring, `Flavor '${f.id}' is not compatible with provider 'amphora'`)
        const ok = await createLb({ flavor_id: f.id, provider: 'noop_driver' })
        assert.equal(ok.status, 201)
      })

      it('when a load balancer uses the flavor, then the flavor cannot be deleted until the load balancer is', async () => {
        const f = await flavor((await profile()).id)
        const r = await createLb({ flavor_id: f.id })
        const lbId = r.body.loadbalancer.id
        await h.waitFor(`${LBS}/${lbId}`)
        await fault('DELETE', `${FLAVORS}/${f.id}`, undefined, 409, `Flavor ${f.id} is in use and cannot be modified.`)
        assert.equal((await h.request('DELETE', `${LBS}/${lbId}`)).status, 204)
        await waitDeleted(h, lbId)
        assert.equal((await h.request('DELETE', `${FLAVORS}/${f.id}`)).status, 204)
      })

      it('when a flavor delete races a create that holds the flavor, then the delete waits and answers 409',
        { skip: dialect === 'sqlite' && 'SQLite serialises writers' }, async () => {
          const f = await flavor((await profile()).id)
          let release!: () => void
          const held = new Promise<void>(r => { release = r })
          let locked!: () => void
          const lockTaken = new Promise<void>(r => { locked = r })
          const create = h.deps.database.db.transaction().execute(async tx => {
            assert.ok(await findFlavorWithProfile(tx, f.id, dialect))
            await tx.insertInto('load_balancer').values({
              id: randomUUID(), project_id: 'p', name: null, description: null, provisioning_status: 'PENDING_CREATE',
              operating_status: 'OFFLINE', enabled: 1, topology: 'SINGLE', provider: 'noop_driver', flavor_id: f.id,
              availability_zone: null, created_at: nowIso(), updated_at: null,
            }).execute()
            locked()
            await held
          })
          await lockTaken
          const del = h.request('DELETE', `${FLAVORS}/${f.id}`)
          let early: unknown
          try {
            early = await Promise.race([del.then(() => 'answered'), new Promise(r => setTimeout(() => r('waiting'), 300))])
          } finally {
            release() // NOTE: never leave the transaction open, or the test file hangs
          }
          await create
          const r = await del
          assert.equal(r.status, 409, JSON.stringify(r.body))
          assert.equal(r.body.faultstring, `Flavor ${f.id} is in use and cannot be modified.`)
          assert.equal(early, 'waiting')
        })
    })
  })
}

async function countLbs(h: Harness): Promise<number> {
  const row = await h.deps.database.db.selectFrom('load_balancer').select(eb => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
  return Number(row.n)
}

async function waitDeleted(h: Harness, lbId: string): Promise<void> {
  const deadline = Date.now() + 10000
  for (;;) {
    const row = await h.deps.database.db.selectFrom('load_balancer').select('provisioning_status').where('id', '=', lbId).executeTakeFirst()
    if (!row || row.provisioning_status === 'DELETED') return
    if (Date.now() > deadline) throw new Error(`load balancer ${lbId} not deleted`)
    await new Promise(r => setTimeout(r, 10))
  }
}
