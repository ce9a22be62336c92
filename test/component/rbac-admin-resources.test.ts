import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { startHarness, type Harness } from '../support/api-harness.js'
import { testDialects } from '../support/databases.js'
import { as, installHeaderCallers } from '../support/test-callers.js'

// RBAC of quotas, flavors, flavor profiles, availability zones, their
// profiles and amphorae, with Octavia 11's default policy (load-balancer_*
// roles; enforce_new_defaults = false).

const QUOTAS = '/v2/lbaas/quotas'
const FLAVORS = '/v2/lbaas/flavors'
const FPS = '/v2/lbaas/flavorprofiles'
const AZS = '/v2/lbaas/availabilityzones'
const AZPS = '/v2/lbaas/availabilityzoneprofiles'
const AMPS = '/v2/octavia/amphorae'
const POLICY = 'Policy does not allow this request to be performed.'
const P = 'project-p'
const Q = 'project-q'
const memberP = as(P, 'load-balancer_member', 'member', 'reader')
const readerP = as(P, 'load-balancer_observer', 'reader')
/** Keystone's own roles in the project: Octavia 11 knows neither. */
const keystoneMemberP = as(P, 'member', 'reader')
const keystoneReaderP = as(P, 'reader')
const quotaAdminQ = as(Q, 'load-balancer_quota_admin')
const globalObserverQ = as(Q, 'load-balancer_global_observer')
const lbAdminQ = as(Q, 'load-balancer_admin')
const adminQ = as(Q, 'admin', 'member', 'reader')
const nobodyP = as(P)

for (const dialect of testDialects) {
  describe(`RBAC: quotas, flavors, availability zones, profiles, amphorae (${dialect})`, () => {
    let h: Harness
    let flavorProfile: string
    let flavor: string
    let azProfile: string

    const expectStatus = async (method: string, url: string, who: Record<string, string>, status: number, body?: unknown) => {
      const r = await h.request(method, url, body, who)
      assert.equal(r.status, status, `${method} ${url} as ${JSON.stringify(who)}: ${JSON.stringify(r.body)}`)
      if (status === 403) assert.deepEqual(r.body, { faultcode: 'Client', faultstring: POLICY, debuginfo: null })
      return r.body
    }
    const quotaProjects = (body: any) => (body.quotas as { project_id: string }[]).map(q => q.project_id)

    before(async () => {
      h = await startHarness(dialect, {}, installHeaderCallers)
      flavorProfile = (await expectStatus('POST', FPS, {}, 201,
        { flavorprofile: { name: 'fp', provider_name: 'noop_driver', flavor_data: '{}' } })).flavorprofile.id
      flavor = (await expectStatus('POST', FLAVORS, {}, 201, { flavor: { name: 'f', flavor_profile_id: flavorProfile } })).flavor.id
      azProfile = (await expectStatus('POST', AZPS, {}, 201,
        { availability_zone_profile: { name: 'azp', provider_name: 'noop_driver', availability_zone_data: '{}' } })).availability_zone_profile.id
      await expectStatus('POST', AZS, {}, 201, { availability_zone: { name: 'az1', availability_zone_profile_id: azProfile } })
      for (const project of [P, Q]) await expectStatus('PUT', `${QUOTAS}/${project}`, {}, 202, { quota: { loadbalancer: 5 } })
    })
    after(async () => { await h.close() })

    it('when a project observer or load-balancer member reads its quota, then it may; other projects\' quotas and every quota write are 403', async () => {
      for (const who of [readerP, memberP]) {
        assert.equal((await expectStatus('GET', `${QUOTAS}/${P}`, who, 200)).quota.loadbalancer, 5)
        await expectStatus('GET', `${QUOTAS}/${P}/default`, who, 200)
        await expectStatus('GET', `${QUOTAS}/${Q}`, who, 403)
        await expectStatus('GET', `${QUOTAS}/${Q}/default`, who, 403)
        assert.deepEqual(quotaProjects(await expectStatus('GET', QUOTAS, who, 200)), [P])
        await expectStatus('GET', `${QUOTAS}?project_id=${Q}`, who, 403)
        await expectStatus('PUT', `${QUOTAS}/${P}`, who, 403, { quota: { loadbalancer: 50 } })
        await expectStatus('DELETE', `${QUOTAS}/${P}`, who, 403)
      }
      for (const who of [nobodyP, keystoneMemberP, keystoneReaderP]) {
        await expectStatus('GET', `${QUOTAS}/${P}`, who, 403)
        await expectStatus('GET', `${QUOTAS}/${P}/default`, who, 403)
        await expectStatus('GET', QUOTAS, who, 403)
      }
    })

    it('when the quota admin or a global observer reads quotas, then any project\'s pass; only the quota admin writes', async () => {
      for (const who of [quotaAdminQ, globalObserverQ]) {
        await expectStatus('GET', `${QUOTAS}/${P}`, who, 200)
        assert.ok(quotaProjects(await expectStatus('GET', QUOTAS, who, 200)).includes(P))
      }
      await expectStatus('PUT', `${QUOTAS}/${P}`, globalObserverQ, 403, { quota: { loadbalancer: 6 } })
      await expectStatus('PUT', `${QUOTAS}/${P}`, quotaAdminQ, 202, { quota: { loadbalancer: 6 } })
      await expectStatus('PUT', `${QUOTAS}/${P}`, quotaAdminQ, 202, { quota: { loadbalancer: 5 } })
      await expectStatus('GET', FLAVORS, quotaAdminQ, 403)
    })

    it('when an admin (the default quota admin) manages quotas, then every quota rule passes for any project', async () => {
      const all = quotaProjects(await expectStatus('GET', QUOTAS, adminQ, 200))
      assert.ok(all.includes(P) && all.includes(Q))
      assert.deepEqual(quotaProjects(await expectStatus('GET', `${QUOTAS}?project_id=${P}`, adminQ, 200)), [P])
      await expectStatus('PUT', `${QUOTAS}/${P}`, adminQ, 202, { quota: { loadbalancer: 7 } })
      assert.equal((await expectStatus('GET', `${QUOTAS}/${P}`, readerP, 200)).quota.loadbalancer, 7)
      await expectStatus('DELETE', `${QUOTAS}/${P}`, adminQ, 202)
      await expectStatus('PUT', `${QUOTAS}/${P}`, adminQ, 202, { quota: { loadbalancer: 5 } })
    })

    it('when observers and load-balancer members use flavors and availability zones, then reads pass and writes are 403; profiles are admin only', async () => {
      for (const who of [readerP, memberP]) {
        await expectStatus('GET', FLAVORS, who, 200)
        await expectStatus('GET', `${FLAVORS}/${flavor}`, who, 200)
        await expectStatus('GET', AZS, who, 200)
        await expectStatus('GET', `${AZS}/az1`, who, 200)
        await expectStatus('POST', FLAVORS, who, 403, { flavor: { name: 'g', flavor_profile_id: flavorProfile } })
        await expectStatus('PUT', `${FLAVORS}/${flavor}`, who, 403, { flavor: { description: 'x' } })
        await expectStatus('DELETE', `${FLAVORS}/${flavor}`, who, 403)
        await expectStatus('POST', AZS, who, 403, { availability_zone: { name: 'az2', availability_zone_profile_id: azProfile } })
        await expectStatus('PUT', `${AZS}/az1`, who, 403, { availability_zone: { description: 'x' } })
        await expectStatus('DELETE', `${AZS}/az1`, who, 403)
        await expectStatus('GET', FPS, who, 403)
        await expectStatus('GET', `${FPS}/${flavorProfile}`, who, 403)
        await expectStatus('POST', FPS, who, 403, { flavorprofile: { name: 'x', provider_name: 'noop_driver', flavor_data: '{}' } })
        await expectStatus('GET', AZPS, who, 403)
        await expectStatus('GET', `${AZPS}/${azProfile}`, who, 403)
      }
      for (const who of [nobodyP, keystoneMemberP, keystoneReaderP]) {
        await expectStatus('GET', FLAVORS, who, 403)
        await expectStatus('GET', `${FLAVORS}/${flavor}`, who, 403)
        await expectStatus('GET', AZS, who, 403)
        await expectStatus('GET', `${AZS}/az1`, who, 403)
      }
    })

    it('when an admin manages flavors, zones and profiles, then every rule passes', async () => {
      await expectStatus('GET', FPS, lbAdminQ, 200)
      await expectStatus('GET', FPS, adminQ, 200)
      await expectStatus('GET', AZPS, adminQ, 200)
      await expectStatus('PUT', `${FPS}/${flavorProfile}`, adminQ, 200, { flavorprofile: { name: 'fp2' } })
      const g = await expectStatus('POST', FLAVORS, adminQ, 201, { flavor: { name: 'g', flavor_profile_id: flavorProfile } })
      await expectStatus('PUT', `${FLAVORS}/${g.flavor.id}`, adminQ, 200, { flavor: { description: 'x' } })
      await expectStatus('DELETE', `${FLAVORS}/${g.flavor.id}`, adminQ, 204)
      await expectStatus('POST', AZS, adminQ, 201, { availability_zone: { name: 'az2', availability_zone_profile_id: azProfile } })
      await expectStatus('PUT', `${AZS}/az2`, adminQ, 200, { availability_zone: { description: 'x' } })
      await expectStatus('DELETE', `${AZS}/az2`, adminQ, 204)
    })

    it('when amphorae are listed, then only admins may', async () => {
      await expectStatus('GET', AMPS, memberP, 403)
      await expectStatus('GET', AMPS, readerP, 403)
      await expectStatus('GET', AMPS, keystoneMemberP, 403)
      await expectStatus('GET', AMPS, globalObserverQ, 403)
      await expectStatus('GET', AMPS, adminQ, 200)
      await expectStatus('GET', AMPS, lbAdminQ, 200)
    })
  })
}
