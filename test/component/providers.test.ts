import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { startHarness, type Harness } from '../support/api-harness.js'
import { testDialects } from '../support/databases.js'
import { providerDriverFactories } from '../../src/worker/providers/registry.js'

/** The amphora provider's capabilities are shown once the worker has that driver. */
const amphoraPending = Object.hasOwn(providerDriverFactories, 'amphora') ? false : 'the amphora provider driver is not implemented yet'

const AMPHORA_FLAVOR = [
  {
    name: 'loadbalancer_topology',
    description: 'The load balancer topology. One of: SINGLE - One amphora per load balancer. ACTIVE_STANDBY - Two amphora per load balancer.',
  },
  { name: 'compute_flavor', description: 'The compute driver flavor ID.' },
  { name: 'amp_image_tag', description: 'The amphora image tag.' },
  { name: 'sriov_vip', description: 'When true, the VIP port will be created using an SR-IOV VF port.' },
  { name: 'allow_member_sriov', description: 'When true, users can request a member port be SR-IOV enabled at member creation time.' },
]

const NOOP_AZ = [
  { name: 'compute_zone', description: 'The compute availability zone to use for this loadbalancer.' },
  { name: 'volume_zone', description: 'The volume availability zone to use for this loadbalancer.' },
]

for (const dialect of testDialects) {
  describe(`providers (${dialect})`, () => {
    describe('with the default configuration', () => {
      let h: Harness
      before(async () => { h = await startHarness(dialect) })
      after(async () => { await h.close() })

      it('when listing providers, then the enabled noop driver is shown with its description and no links', async () => {
        const r = await h.request('GET', '/v2/lbaas/providers')
        assert.equal(r.status, 200)
        assert.deepEqual(r.body, { providers: [{ name: 'noop_driver', description: 'The no-op driver.' }] })
      })

      it('when listing providers with fields=name, then only names are shown', async () => {
        const r = await h.request('GET', '/v2/lbaas/providers?fields=name')
        assert.deepEqual(r.body, { providers: [{ name: 'noop_driver' }] })
      })

      it('when asking the noop driver\'s capabilities, then Octavia\'s noop metadata keys are listed', async () => {
        let r = await h.request('GET', '/v2/lbaas/providers/noop_driver/flavor_capabilities')
        assert.equal(r.status, 200)
        assert.deepEqual(r.body, {
          flavor_capabilities: [{ name: 'amp_image_tag', description: 'The glance image tag to use for this load balancer.' }],
        })
        r = await h.request('GET', '/v2/lbaas/providers/noop_driver/availability_zone_capabilities')
        assert.equal(r.status, 200)
        assert.deepEqual(r.body, { availability_zone_capabilities: NOOP_AZ })
      })

      it('when the provider is not enabled, then the answer is 400 "Provider \'<p>\' is not enabled."', async () => {
        for (const path of ['flavor_capabilities', 'availability_zone_capabilities']) {
          const r = await h.request('GET', `/v2/lbaas/providers/bogus/${path}`)
          assert.equal(r.status, 400)
          assert.equal(r.body.faultstring, "Provider 'bogus' is not enabled.")
        }
      })

      it('when the /v2.0 alias is used, then the capabilities are the same', async () => {
        const r = await h.request('GET', '/v2.0/lbaas/providers/noop_driver/availability_zone_capabilities')
        assert.deepEqual(r.body, { availability_zone_capabilities: NOOP_AZ })
      })
    })

    describe('with several providers enabled', () => {
      let h: Harness
      before(async () => {
        h = await startHarness(dialect, {
          api_settings: {
            enabled_provider_drivers: 'amphora:The Octavia Amphora driver.,noop_driver:The no-op driver.,vendor:A vendor driver.',
          },
        })
      })
      after(async () => { await h.close() })

      it('when listing providers, then they come in configuration order', async () => {
        const r = await h.request('GET', '/v2/lbaas/providers')
        assert.deepEqual(r.body.providers, [
          { name: 'amphora', description: 'The Octavia Amphora driver.' },
          { name: 'noop_driver', description: 'The no-op driver.' },
          { name: 'vendor', description: 'A vendor driver.' },
        ])
      })

      it('when asking the amphora driver\'s flavor capabilities, then its flavor schema keys are listed', { skip: amphoraPending }, async () => {
        const r = await h.request('GET', '/v2/lbaas/providers/amphora/flavor_capabilities')
        assert.equal(r.status, 200)
        assert.deepEqual(r.body.flavor_capabilities, AMPHORA_FLAVOR)
      })

      it('when asking the amphora driver\'s AZ capabilities, then its AZ schema keys are listed', { skip: amphoraPending }, async () => {
        const r = await h.request('GET', '/v2/lbaas/providers/amphora/availability_zone_capabilities')
        assert.deepEqual(r.body.availability_zone_capabilities.map((c: { name: string }) => c.name),
          ['compute_zone', 'volume_zone', 'management_network', 'valid_vip_networks'])
      })

      it('when filtering capabilities by name or description, then only exact matches remain', async () => {
        const url = '/v2/lbaas/providers/noop_driver/availability_zone_capabilities'
        let r = await h.request('GET', `${url}?name=volume_zone`)
        assert.deepEqual(r.body.availability_zone_capabilities, [NOOP_AZ[1]])
        r = await h.request('GET', `${url}?name=bogus`)
        assert.deepEqual(r.body.availability_zone_capabilities, [])
        r = await h.request('GET', `${url}?description=${encodeURIComponent(NOOP_AZ[0].description)}`)
        assert.deepEqual(r.body.availability_zone_capabilities, [NOOP_AZ[0]])
        r = await h.request('GET', `${url}?name=volume_zone&description=nope`)
        assert.deepEqual(r.body.availability_zone_capabilities, [])
        r = await h.request('GET', '/v2/lbaas/providers/noop_driver/flavor_capabilities?name=amp_image_tag')
        assert.equal(r.body.flavor_capabilities.length, 1)
      })

      it('when a filter and fields are combined, then each entry has only the selected fields', async () => {
        const r = await h.request('GET', '/v2/lbaas/providers/noop_driver/availability_zone_capabilities?name=compute_zone&fields=name')
        assert.deepEqual(r.body.availability_zone_capabilities, [{ name: 'compute_zone' }])
      })

      it('when an enabled provider has no driver here, then the answer is 501 "Provider \'<p>\' was not found."', async () => {
        const r = await h.request('GET', '/v2/lbaas/providers/vendor/flavor_capabilities')
        assert.equal(r.status, 501)
        assert.deepEqual(r.body, { faultcode: 'Server', faultstring: "Provider 'vendor' was not found.", debuginfo: null })
      })

      it('when a load balancer asks for an enabled provider without a driver, then the answer is 501 and nothing is written', async () => {
        const subnetId = h.deps.network.listSubnets()[0].id
        const r = await h.request('POST', '/v2/lbaas/loadbalancers', { loadbalancer: { vip_subnet_id: subnetId, provider: 'vendor' } })
        assert.equal(r.status, 501)
        assert.equal(r.body.faultstring, "Provider 'vendor' was not found.")
        const list = await h.request('GET', '/v2/lbaas/loadbalancers')
        assert.deepEqual(list.body.loadbalancers, [])
      })
    })
  })
}
