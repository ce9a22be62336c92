import assert from 'node:assert/strict'
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { loadConfig } from '../../src/common/config/load.js'
import { silentLogger } from '../../src/common/logging.js'
import { BridgeDataPlane } from '../../src/drivers/network/bridge/bridge-data-plane.js'
import { createDataPlane } from '../../src/drivers/network/create-data-plane.js'
import { httpGet, startHttpBackend, waitServing, type Backend } from './support/amphora-backends.js'
import { httpClient, type HttpClient } from './support/http-client.js'
import { reserveNetworkNumber } from './support/amphora-stack.js'
import { freePort, startService, type ServiceProcess } from './support/service-process.js'

// `octavia-ts serve` with its defaults for providers: `amphora` is the
// default provider and serve runs the agent and prepares the host itself.
// (Requires the built bundle: node build.mjs.)

const isRoot = process.geteuid?.() === 0
const mode = isRoot ? 'netns' : 'loopback'
const HTTP_PORT = isRoot ? 80 : 10080

describe(`octavia-ts serve with the default provider (amphora, ${mode} mode)`, () => {
  let svc: ServiceProcess
  let api: HttpClient
  let backend: Backend
  const reservation = reserveNetworkNumber()
  const n = reservation.n
  let lbId = ''
  let vip = ''

  before(async () => {
    const agentPort = String(await freePort())
    svc = await startService({
      sections: {
        api_settings: {
          enabled_provider_drivers: 'amphora:The Octavia Amphora driver.,octavia:Deprecated alias of the Octavia Amphora driver.,noop_driver:The no-op driver.',
          default_provider_driver: '',
        },
        controller_worker: { compute_driver: mode },
        amphora_agent: { bind_port: agentPort },
        haproxy_amphora: { bind_port: agentPort },
        [`network:e2e${n}`]: mode === 'netns'
          ? { network: `e2e${n}`, cidr: `10.213.${n}.0/24`, bridge: `octs${n}` }
          : { network: `e2e${n}`, cidr: `127.213.${n}.0/24` },
      },
    })
    api = httpClient(svc.url)
    backend = await startHttpBackend('served', mode === 'netns' ? `10.213.${n}.1` : '127.0.0.1')
  })
  after(async () => {
    if (lbId) await api.request('DELETE', `/v2/lbaas/loadbalancers/${lbId}?cascade=true`).catch(() => undefined)
    await backend?.close()
    const config = svc ? loadConfig(svc.configFile, {}) : null
    await svc?.dispose()
    if (config && mode === 'netns') {
      const plane = createDataPlane(config, { log: silentLogger() }).network
      if (plane instanceof BridgeDataPlane) await plane.removeUnusedBridges()
    }
    reservation.release()
  })

  it('when a load balancer is created without a provider, then it runs on an amphora and serves its members', async () => {
    const subnets = await api.request('GET', `/v2.0/subnets?name=e2e${n}-subnet`)
    const r = await api.request('POST', '/v2/lbaas/loadbalancers', {
      loadbalancer: {
        vip_subnet_id: subnets.body.subnets[0].id,
        listeners: [{ protocol: 'HTTP', protocol_port: HTTP_PORT, default_pool: { name: 'p', protocol: 'HTTP', lb_algorithm: 'ROUND_ROBIN', members: [{ address: backend.host, protocol_port: backend.port }] } }],
      },
    })
    assert.equal(r.status, 201, JSON.stringify(r.body))
    assert.equal(r.body.loadbalancer.provider, 'amphora')
    lbId = r.body.loadbalancer.id
    vip = r.body.loadbalancer.vip_address
    const lb = await api.waitStatus(`/v2/lbaas/loadbalancers/${lbId}`, 'ACTIVE', 30000)
    assert.equal(lb.operating_status, 'ONLINE')
    await waitServing(vip, HTTP_PORT)
    assert.equal((await httpGet(vip, HTTP_PORT)).body, 'served')
    const amps = await api.request('GET', `/v2/octavia/amphorae?loadbalancer_id=${lbId}`)
    assert.equal(amps.body.amphorae.length, 1)
    assert.deepEqual([amps.body.amphorae[0].status, amps.body.amphorae[0].role], ['ALLOCATED', 'STANDALONE'])
  })

  it('when the load balancer is deleted, then serve leaves none of its amphora\'s files behind', async () => {
    const amp = (await api.request('GET', `/v2/octavia/amphorae?loadbalancer_id=${lbId}`)).body.amphorae[0]
    assert.equal((await api.request('DELETE', `/v2/lbaas/loadbalancers/${lbId}?cascade=true`)).status, 204)
    await api.waitUntil(`/v2/lbaas/loadbalancers/${lbId}`, reply => reply.status === 404, 30000)
    lbId = ''
    const base = join(svc.dir, 'state', 'amphorae')
    assert.equal(existsSync(join(base, amp.id)), false, 'the amphora directory is gone')
    assert.deepEqual(existsSync(join(base, 'run')) ? readdirSync(join(base, 'run')) : [], [], 'no socket is left')
  })
})
