import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { startHarness, type Harness } from '../support/api-harness.js'
import { testDialects } from '../support/databases.js'

const AZPS = '/v2/lbaas/availabilityzoneprofiles'
const AZS = '/v2/lbaas/availabilityzones'
const LBS = '/v2/lbaas/loadbalancers'
const NIL = '00000000-0000-0000-0000-000000000000'

for (const dialect of testDialects) {
  describe(`availability zone profiles and availability zones (${dialect})`, () => {
    let h: Harness
    before(async () => { h = await startHarness(dialect) })
    after(async () => { await h.close() })

    const fault = async (method: string, url: string, body: unknown, status: number, message: string) => {
      const r = await h.request(method, url, body)
      assert.equal(r.status, status, JSON.stringify(r.body))
      assert.equal(r.body.faultstring, message)
    }
    const profile = async (data = '{"compute_zone": "nova"}', name = 'azp') => {
      const r = await h.request('POST', AZPS, { availability_zone_profile: { name, provider_name: 'noop_driver', availability_zone_data: data } })
      assert.equal(r.status, 201, JSON.stringify(r.body))
      return r.body.availability_zone_profile as Record<string, any>
    }
    const zone = async (profileId: string, extra: Record<string, unknown> = {}) => {
      const r = await h.request('POST', AZS, { availability_zone: { name: `az-${randomUUID()}`, availability_zone_profile_id: profileId, ...extra } })
      assert.equal(r.status, 201, JSON.stringify(r.body))
      return r.body.availability_zone as Record<string, any>
    }
    const subnet = () => h.deps.network.listSubnets()[0]
    const createLb = (extra: Record<string, unknown> = {}) =>
      h.request('POST', LBS, { loadbalancer: { vip_subnet_id: subnet().id, ...extra } })

    describe('availability zone profiles', () => {
      it('when none exist, then the list is empty with availability_zone_profile_links', async () => {
        const r = await h.request('GET', `${AZPS}?name=nothing`)
        assert.deepEqual(r.body, { availability_zone_profiles: [], availability_zone_profile_links: [] })
      })

      it('when one is created, then it is answered, shown and listed as given', async () => {
        const azp = await profile('{"compute_zone": "zone1"}', 'azp-create')
        assert.deepEqual(azp, { id: azp.id, name: 'azp-create', provider_name: 'noop_driver', availability_zone_data: '{"compute_zone": "zone1"}' })
        assert.deepEqual((await h.request('GET', `${AZPS}/${azp.id}`)).body, { availability_zone_profile: azp })
        const f = await h.request('GET', `${AZPS}/${azp.id}?fields=id&fields=name`)
        assert.deepEqual(f.body, { availability_zone_profile: { id: azp.id, name: 'azp-create' } })
        const l = await h.request('GET', `${AZPS}?name=azp-create`)
        assert.deepEqual(l.body, { availability_zone_profiles: [azp], availability_zone_profile_links: [] })
      })

      it('when a mandatory attribute is missing or the data is not JSON, then 400', async () => {
        await fault('POST', AZPS, { availability_zone_profile: { name: 'n', provider_name: 'noop_driver' } }, 400,
          "Invalid input for field/attribute availability_zone_data. Value: 'None'. Mandatory field missing.")
        await fault('POST', AZPS, { availability_zone_profile: { availability_zone_data: '{}', provider_name: 'noop_driver' } }, 400,
          "Invalid input for field/attribute name. Value: 'None'. Mandatory field missing.")
        await fault('POST', AZPS, { availability_zone_profile: { name: 'n', provider_name: 'noop_driver', availability_zone_data: '{x' } },
          400, '{x is not a valid option for availability_zone_data')
        await fault('POST', AZPS, { availability_zone_profile: { name: 'n', provider_name: 'bogus', availability_zone_data: '{}' } },
          400, "Provider 'bogus' is not enabled.")
      })

      it('when updated, then the attributes change; null and bad JSON are 400 (Octavia names flavor_data)', async () => {
        const azp = await profile()
        const r = await h.request('PUT', `${AZPS}/${azp.id}`, { availability_zone_profile: { name: 'the_profile', availability_zone_data: '{"hello": "world"}' } })
        assert.equal(r.status, 200)
        assert.deepEqual(r.body.availability_zone_profile, { ...azp, name: 'the_profile', availability_zone_data: '{"hello": "world"}' })
        await fault('PUT', `${AZPS}/${azp.id}`, { availability_zone_profile: { availability_zone_data: 'nope' } }, 400,
          'nope is not a valid option for flavor_data')
        await fault('PUT', `${AZPS}/${azp.id}`, { availability_zone_profile: { availability_zone_data: null } }, 400,
          'None is not a valid option for availability_zone_data')
        await fault('PUT', `${AZPS}/${NIL}`, { availability_zone_profile: { name: 'x' } }, 404, `Availability Zone Profile ${NIL} not found.`)
      })

      it('when a zone uses the profile, then provider and data are frozen and delete is refused (409)', async () => {
        const azp = await profile()
        await zone(azp.id)
        const inUse = `Availability Zone Profile ${azp.id} is in use and cannot be modified.`
        await fault('PUT', `${AZPS}/${azp.id}`, { availability_zone_profile: { provider_name: 'noop_driver-alt' } }, 409, inUse)
        await fault('PUT', `${AZPS}/${azp.id}`, { availability_zone_profile: { availability_zone_data: '{}' } }, 409, inUse)
        await fault('DELETE', `${AZPS}/${azp.id}`, undefined, 409, inUse)
        assert.equal((await h.request('PUT', `${AZPS}/${azp.id}`, { availability_zone_profile: { name: 'renamed' } })).status, 200)
      })

      it('when deleted, then it is gone; NIL and unknown ids are 404', async () => {
        const azp = await profile()
        assert.equal((await h.request('DELETE', `${AZPS}/${azp.id}`)).status, 204)
        await fault('GET', `${AZPS}/${azp.id}`, undefined, 404, `Availability Zone Profile ${azp.id} not found.`)
        await fault('GET', `${AZPS}/${NIL}`, undefined, 404, `Availability Zone Profile ${NIL} not found.`)
        await fault('DELETE', `${AZPS}/${NIL}`, undefined, 404, `Availability Zone Profile ${NIL} not found.`)
        await fault('DELETE', `${AZPS}/bogus_id`, undefined, 404, 'Availability Zone Profile bogus_id not found.')
      })
    })

    describe('availability zones', () => {
      let azp: Record<string, any>
      before(async () => { azp = await profile() })

      it('when created, then the name is the key, enabled defaults to true and there is no id', async () => {
        const r = await h.request('POST', AZS, { availability_zone: { name: 'zone-a', availability_zone_profile_id: azp.id } })
        assert.equal(r.status, 201)
        assert.deepEqual(r.body, { availability_zone: { name: 'zone-a', description: '', enabled: true, availability_zone_profile_id: azp.id } })
        const g = await h.request('GET', `${AZS}/zone-a`)
        assert.deepEqual(g.body, r.body)
        const f = await h.request('GET', `${AZS}/zone-a?fields=name&fields=availability_zone_profile_id`)
        assert.deepEqual(f.body, { availability_zone: { name: 'zone-a', availability_zone_profile_id: azp.id } })
      })

      it('when a mandatory attribute is missing, malformed or the name taken, then Octavia\'s errors', async () => {
        await fault('POST', AZS, { availability_zone: { availability_zone_profile_id: azp.id } }, 400,
          "Invalid input for field/attribute name. Value: 'None'. Mandatory field missing.")
        await fault('POST', AZS, { availability_zone: { name: 'xyz' } }, 400,
          "Invalid input for field/attribute availability_zone_profile_id. Value: 'None'. Mandatory field missing.")
        await fault('POST', AZS, { availability_zone: { name: 'xyz', availability_zone_profile_id: 'bogus' } }, 400,
          "Invalid input for field/attribute availability_zone_profile_id. Value: 'bogus'. Value should be UUID format")
        await zone(azp.id, { name: 'dup' })
        await fault('POST', AZS, { availability_zone: { name: 'dup', availability_zone_profile_id: azp.id } }, 409,
          'A availability zone of dup already exists.')
        const unknown = randomUUID()
        await fault('POST', AZS, { availability_zone: { name: 'orphan', availability_zone_profile_id: unknown } }, 404,
          `Availability Zone Profile ${unknown} not found.`)
      })

      it('when listed, then filters, sorting, fields and pages by name apply', async () => {
        await zone(azp.id, { name: 'list-1', description: 'one' })
        await zone(azp.id, { name: 'list-2', enabled: false })
        let r = await h.request('GET', `${AZS}?enabled=false`)
        assert.deepEqual(r.body.availability_zones.map((z: any) => z.name), ['list-2'])
        r = await h.request('GET', `${AZS}?sort=name:desc&fields=name`)
        const names = r.body.availability_zones.map((z: any) => z.name).filter((n: string) => n.startsWith('list-'))
        assert.deepEqual(names, ['list-2', 'list-1'])
        r = await h.request('GET', `${AZS}?sort=name:asc&limit=1&marker=list-1`)
        assert.deepEqual(r.body.availability_zones.map((z: any) => z.name), ['list-2'])
        assert.ok(r.body.availability_zones_links.some((l: any) => l.rel === 'previous'))
        await fault('GET', `${AZS}?marker=nope`, undefined, 400, "Supplied pagination marker 'nope' is not valid.")
      })

      it('when updated, then description and enabled change; other attributes are 400', async () => {
        await zone(azp.id, { name: 'upd', description: 'A great az. Pick me!' })
        let r = await h.request('PUT', `${AZS}/upd`, { availability_zone: { description: 'better', enabled: false } })
        assert.equal(r.status, 200)
        assert.deepEqual(r.body.availability_zone, { name: 'upd', description: 'better', enabled: false, availability_zone_profile_id: azp.id })
        r = await h.request('PUT', `${AZS}/upd`, { availability_zone: {} })
        assert.equal(r.body.availability_zone.description, 'better')
        assert.equal((await h.request('PUT', `${AZS}/upd`, { availability_zone: { availability_zone_profile_id: randomUUID() } })).status, 400)
        assert.equal((await h.request('PUT', `${AZS}/upd`, { availability_zone: { name: 'other' } })).status, 400)
        await fault('PUT', `${AZS}/${NIL}`, { availability_zone: { description: 'x' } }, 404, `Availability Zone ${NIL} not found.`)
        await fault('PUT', `${AZS}/nowhere`, { availability_zone: { description: 'x' } }, 404, 'Availability Zone nowhere not found.')
      })

      it('when deleted, then it is gone; NIL and unknown names are 404', async () => {
        await zone(azp.id, { name: 'gone' })
        assert.equal((await h.request('DELETE', `${AZS}/gone`)).status, 204)
        await fault('GET', `${AZS}/gone`, undefined, 404, 'Availability Zone gone not found.')
        await fault('DELETE', `${AZS}/bogus_name`, undefined, 404, 'Availability Zone bogus_name not found.')
        await fault('DELETE', `${AZS}/${NIL}`, undefined, 404, `Availability Zone ${NIL} not found.`)
        await fault('GET', `${AZS}/${NIL}`, undefined, 404, `Availability Zone ${NIL} not found.`)
      })
    })

    describe('load balancers in an availability zone', () => {
      it('when the zone exists and is enabled, then the load balancer stores and shows it', async () => {
        const z = await zone((await profile()).id)
        const r = await createLb({ availability_zone: z.name })
        assert.equal(r.status, 201, JSON.stringify(r.body))
        assert.equal(r.body.loadbalancer.availability_zone, z.name)
        const lb = await h.waitFor(`${LBS}/${r.body.loadbalancer.id}`)
        assert.equal(lb.loadbalancer.availability_zone, z.name)
      })

      it('when the zone is unknown or disabled, then Octavia\'s 400s', async () => {
        let r = await createLb({ availability_zone: 'no-such-zone' })
        assert.equal(r.status, 400)
        assert.equal(r.body.faultstring, 'Validation failure: Invalid availability zone.')
        const z = await zone((await profile()).id, { enabled: false })
        r = await createLb({ availability_zone: z.name })
        assert.equal(r.status, 400)
        assert.equal(r.body.faultstring, `The selected availability_zone is not allowed in this deployment: ${z.name}`)
      })

      it('when the zone\'s valid_vip_networks excludes the VIP network, then 400 and no address is taken', async () => {
        const z = await zone((await profile(`{"valid_vip_networks": ["${randomUUID()}"]}`)).id)
        const ports = await h.request('GET', '/v2.0/ports')
        const r = await createLb({ availability_zone: z.name })
        assert.equal(r.status, 400)
        assert.equal(r.body.faultstring, 'Validation failure: Supplied VIP network_id is not allowed by the configuration of this deployment.')
        assert.equal((await h.request('GET', '/v2.0/ports')).body.ports.length, ports.body.ports.length)
        const allowed = await zone((await profile(`{"valid_vip_networks": ["${subnet().networkId}"]}`)).id)
        assert.equal((await createLb({ availability_zone: allowed.name })).status, 201)
      })

      it('when a load balancer uses the zone, then the zone cannot be deleted until the load balancer is', async () => {
        const z = await zone((await profile()).id)
        const r = await createLb({ availability_zone: z.name })
        const lbId = r.body.loadbalancer.id
        await h.waitFor(`${LBS}/${lbId}`)
        await fault('DELETE', `${AZS}/${z.name}`, undefined, 409, `Availability Zone ${z.name} is in use and cannot be modified.`)
        assert.equal((await h.request('DELETE', `${LBS}/${lbId}`)).status, 204)
        const deadline = Date.now() + 10000
        for (;;) {
          const row = await h.deps.database.db.selectFrom('load_balancer').select('provisioning_status').where('id', '=', lbId).executeTakeFirst()
          if (!row || row.provisioning_status === 'DELETED') break
          assert.ok(Date.now() < deadline, 'load balancer not deleted in time')
          await new Promise(res => setTimeout(res, 10))
        }
        assert.equal((await h.request('DELETE', `${AZS}/${z.name}`)).status, 204)
      })
    })
  })
}
