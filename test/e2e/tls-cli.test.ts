import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { createTlsFixtures, type FixtureCertificate, type TlsFixtures } from '../support/tls-fixtures.js'
import { secretCliMissing } from './support/barbican-cli.js'
import { startDataplaneBackend, type DataplaneBackend } from './support/dataplane-backends.js'
import { assertServiceLeftNothing } from './support/dataplane-service.js'
import { httpClient, type HttpClient } from './support/http-client.js'
import { haveOpenstackCli, openstackCli, type OpenstackCli } from './support/openstack-cli.js'
import { errorLogLines, startService, type ServiceProcess } from './support/service-process.js'
import { createTlsLoadBalancer, curl, curlHttpsUntilOk, storePkcs12WithCli } from './support/tls-scenario.js'

// The TLS issue's CLI scenario without Keystone: `openstack secret store`
// (python3-barbicanclient) into octavia-ts's own secret store at /v1, then
// `loadbalancer listener create --protocol TERMINATED_HTTPS
// --default-tls-container-ref <secret href>`, then a real curl over HTTPS
// through the VIP, checked against the test CA. `octavia-ts serve` with the
// amphora provider (netns as root, loopback otherwise). Requires `node build.mjs`.

const isRoot = process.geteuid?.() === 0
const mode = isRoot ? 'netns' : 'loopback'
const PORT = isRoot ? 443 : 10443
const HOST = 'www.tls-cli.test'
const skip = !haveOpenstackCli() ? 'the openstack CLI is not installed' : secretCliMissing()

describe(`openstack secret store, a TERMINATED_HTTPS listener, then curl over HTTPS (${mode} mode)`, { skip }, () => {
  let svc: ServiceProcess
  let lbCli: OpenstackCli
  let secretCli: OpenstackCli
  let api: HttpClient
  let backend: DataplaneBackend
  let tls: TlsFixtures
  let www: FixtureCertificate
  let lbId = ''
  let vip = ''
  let amphoraId = ''
  let secretHref = ''
  let deleted = false

  before(async () => {
    tls = await createTlsFixtures()
    www = await tls.serverCertificate({ cn: HOST, dnsNames: [HOST] })
    svc = await startService({
      sections: {
        api_settings: {
          enabled_provider_drivers: 'amphora:The Octavia Amphora driver.,noop_driver:The no-op driver.',
          default_provider_driver: '',
        },
      },
    })
    lbCli = openstackCli(svc.url)
    secretCli = openstackCli(`${svc.url}/v1`)
    api = httpClient(svc.url)
    backend = await startDataplaneBackend('tls-backend', isRoot ? '10.213.0.1' : '127.0.0.1')
  })
  after(async () => {
    await backend?.close()
    if (lbId && !deleted && api) {
      await api.request('DELETE', `/v2/lbaas/loadbalancers/${lbId}?cascade=true`).catch(() => undefined)
      await api.waitUntil(`/v2/lbaas/loadbalancers/${lbId}`, r => r.status === 404, 30000).catch(() => undefined)
    }
    const errors = svc ? errorLogLines(svc.logs()) : []
    if (errors.length) process.stderr.write(`# service errors:\n${errors.slice(-20).join('\n')}\n`)
    await svc?.dispose()
    await tls?.cleanup()
  })

  it('when a PKCS12 bundle is stored with `openstack secret store`, then the secret is listed with its href', async () => {
    secretHref = await storePkcs12WithCli(secretCli, 'tls1', await tls.pkcs12(www))
    assert.match(secretHref, /\/v1\/secrets\/[0-9a-f-]{36}$/)
    const listed = await secretCli.json(['secret', 'list', '--name', 'tls1'])
    assert.deepEqual(listed.map((s: any) => s['Secret href']), [secretHref])
  })

  it('when a TERMINATED_HTTPS listener uses the secret, then curl over HTTPS through the VIP answers 200 with the stored certificate', async () => {
    assert.ok(secretHref, 'the previous step stored the secret')
    const lb = await createTlsLoadBalancer(lbCli, {
      name: 'lb-tls', secretHref, port: PORT, member: backend,
      vipArgs: isRoot ? ['--vip-address', `10.213.0.${150 + Math.floor(Math.random() * 100)}`] : [],
      waitActive: id => api.waitStatus(`/v2/lbaas/loadbalancers/${id}`, 'ACTIVE', 30000).then(() => undefined),
    })
    lbId = lb.id
    vip = lb.vip
    amphoraId = (await api.request('GET', `/v2/octavia/amphorae?loadbalancer_id=${lbId}`)).body.amphorae[0]?.id ?? ''
    const last = await curlHttpsUntilOk(vip, PORT, HOST, tls.ca.certPath)
    assert.equal(last.code, 0, `curl failed: ${last.stderr}`)
    assert.equal(last.stdout, 'tls-backend\n200 0')
    const plain = await curl(['-sS', '--max-time', '3', `http://${vip}:${PORT}/`])
    assert.notEqual(plain.stdout.trim(), 'tls-backend', 'the listener does not answer plain HTTP')
  })

  it('when the load balancer is deleted with --cascade --wait, then nothing of its amphora is left and the secret stays', async () => {
    assert.ok(lbId && amphoraId, 'the previous step created the load balancer')
    await lbCli.ok(['loadbalancer', 'delete', '--cascade', '--wait', 'lb-tls'])
    deleted = true
    await assertServiceLeftNothing(svc, mode, amphoraId, vip)
    const shown = await secretCli.json(['secret', 'get', secretHref])
    assert.equal(shown.Name, 'tls1')
    await secretCli.ok(['secret', 'delete', secretHref])
    assert.notEqual((await secretCli.run(['secret', 'get', secretHref])).code, 0)
  })
})
