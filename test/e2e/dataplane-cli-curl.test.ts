import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { after, before, describe, it } from 'node:test'
import { loadConfig } from '../../src/common/config/load.js'
import { silentLogger } from '../../src/common/logging.js'
import { BridgeDataPlane } from '../../src/drivers/network/bridge/bridge-data-plane.js'
import { createDataPlane } from '../../src/drivers/network/create-data-plane.js'
import { httpClient, type HttpClient } from './support/http-client.js'
import { haveOpenstackCli, openstackCli, type OpenstackCli } from './support/openstack-cli.js'
import { startDataplaneBackend, type DataplaneBackend } from './support/dataplane-backends.js'
import { assertServiceLeftNothing } from './support/dataplane-service.js'
import { errorLogLines, startService, type ServiceProcess } from './support/service-process.js'

// Issue 4, item 5: the CLI scenario ends with a working curl through the VIP.
// `octavia-ts serve` with its defaults (amphora provider, the default network
// public-subnet: 10.213.0.0/24 on octbr-public as root, members on 10.213.0.1;
// loopback otherwise, members on 127.0.0.1), driven by the real `openstack`
// CLI; a real `curl` reaches the host backend; `loadbalancer delete --cascade
// --wait` leaves no namespace, process or file. Requires `node build.mjs`.

const isRoot = process.geteuid?.() === 0
const mode = isRoot ? 'netns' : 'loopback'
const PORT = isRoot ? 80 : 10080

/** Runs curl; resolves with its exit code and output (never rejects). */
const curl = (args: string[]): Promise<{ code: number; stdout: string; stderr: string }> => new Promise(resolve => {
  execFile('curl', args, { timeout: 15000 }, (err, stdout, stderr) => {
    resolve({ code: err ? (typeof (err as any).code === 'number' ? (err as any).code : -1) : 0, stdout, stderr })
  })
})

describe(`openstack CLI then curl through the VIP (serve defaults, ${mode} mode)`, { skip: !haveOpenstackCli() && 'the openstack CLI is not installed' }, () => {
  let svc: ServiceProcess
  let os: OpenstackCli
  let api: HttpClient
  let backend: DataplaneBackend
  let bridgeExisted = false
  let lbId = ''
  let vip = ''
  let amphoraId = ''
  let deleted = false

  before(async () => {
    bridgeExisted = isRoot && (await exitCodeOf('ip', ['link', 'show', 'octbr-public'])) === 0
    svc = await startService({
      sections: {
        // the service's own defaults for providers (amphora) instead of the harness's noop
        api_settings: {
          enabled_provider_drivers: 'amphora:The Octavia Amphora driver.,octavia:Deprecated alias of the Octavia Amphora driver.,noop_driver:The no-op driver.',
          default_provider_driver: '',
        },
      },
    })
    os = openstackCli(svc.url)
    api = httpClient(svc.url)
    // serve prepared the host: in netns mode the gateway 10.213.0.1 is on octbr-public now
    backend = await startDataplaneBackend('host-backend', isRoot ? '10.213.0.1' : '127.0.0.1')
  })
  after(async () => {
    await backend?.close()
    if (lbId && !deleted && api) {
      await api.request('DELETE', `/v2/lbaas/loadbalancers/${lbId}?cascade=true`).catch(() => undefined)
      await api.waitUntil(`/v2/lbaas/loadbalancers/${lbId}`, r => r.status === 404, 30000).catch(() => undefined)
    }
    const errors = svc ? errorLogLines(svc.logs()) : []
    if (errors.length) process.stderr.write(`# service errors:\n${errors.slice(-20).join('\n')}\n`)
    const config = svc ? loadConfig(svc.configFile, {}) : null
    await svc?.dispose()
    // The default bridge is shared with any other default service: remove it only if this test made it.
    if (config && isRoot && !bridgeExisted) {
      const plane = createDataPlane(config, { log: silentLogger() }).network
      if (plane instanceof BridgeDataPlane) await plane.removeUnusedBridges().catch(() => undefined)
    }
  })

  it('when LB, listener, pool and member are created with the CLI, then curl through the VIP answers 200 from the host backend', async () => {
    // A random VIP in the upper half of the default subnet, so another default service on this host is unlikely to collide.
    const vipArgs = isRoot ? ['--vip-address', `10.213.0.${150 + Math.floor(Math.random() * 100)}`] : []
    const lb = await os.json(['loadbalancer', 'create', '--name', 'lb-curl', '--vip-subnet-id', 'public-subnet', ...vipArgs])
    lbId = lb.id
    vip = lb.vip_address
    assert.equal(lb.provider, 'amphora')
    await api.waitStatus(`/v2/lbaas/loadbalancers/${lbId}`, 'ACTIVE', 30000)
    await os.json(['loadbalancer', 'listener', 'create', '--name', 'web', '--protocol', 'HTTP', '--protocol-port', String(PORT), 'lb-curl'])
    await api.waitStatus(`/v2/lbaas/loadbalancers/${lbId}`, 'ACTIVE', 30000)
    await os.json(['loadbalancer', 'pool', 'create', '--name', 'web-pool', '--lb-algorithm', 'ROUND_ROBIN', '--listener', 'web', '--protocol', 'HTTP'])
    await api.waitStatus(`/v2/lbaas/loadbalancers/${lbId}`, 'ACTIVE', 30000)
    const member = await os.json(['loadbalancer', 'member', 'create', '--name', 'host', '--address', backend.host,
      '--protocol-port', String(backend.port), '--subnet-id', 'public-subnet', 'web-pool'])
    assert.equal(member.address, backend.host)
    await api.waitStatus(`/v2/lbaas/loadbalancers/${lbId}`, 'ACTIVE', 30000)
    const amps = (await api.request('GET', `/v2/octavia/amphorae?loadbalancer_id=${lbId}`)).body.amphorae
    assert.equal(amps.length, 1)
    amphoraId = amps[0].id

    const url = `http://${vip}${PORT === 80 ? '' : `:${PORT}`}/`
    let last = { code: -1, stdout: '', stderr: '' }
    for (let i = 0; i < 50; i++) {
      last = await curl(['-sS', '--max-time', '3', '-o', '-', '-w', '\n%{http_code}', url])
      if (last.code === 0 && last.stdout.endsWith('\n200')) break
      await new Promise(r => setTimeout(r, 200))
    }
    assert.equal(last.code, 0, `curl ${url} failed: ${last.stderr}`)
    assert.equal(last.stdout, 'host-backend\n200')
    assert.ok(backend.hits() >= 1)
  })

  it('when the load balancer is deleted with --cascade --wait, then no namespace, process or file of its amphora is left', async () => {
    assert.ok(lbId && amphoraId, 'the previous step created the load balancer')
    await os.ok(['loadbalancer', 'delete', '--cascade', '--wait', 'lb-curl'])
    deleted = true
    assert.equal((await api.request('GET', `/v2/lbaas/loadbalancers/${lbId}`)).status, 404)
    await assertServiceLeftNothing(svc, mode, amphoraId, vip)
    const r = await curl(['-sS', '--max-time', '2', `http://${vip}${PORT === 80 ? '' : `:${PORT}`}/`])
    assert.notEqual(r.code, 0, 'nothing answers on the VIP any more')
  })
})

/** Exit code of a command (no output kept). */
function exitCodeOf(cmd: string, args: string[]): Promise<number> {
  return new Promise(resolve => execFile(cmd, args, err => resolve(err ? 1 : 0)))
}
