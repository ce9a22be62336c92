import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { after, before, describe, it } from 'node:test'
import { loadConfig } from '../../src/common/config/load.js'
import { silentLogger } from '../../src/common/logging.js'
import { BridgeDataPlane } from '../../src/drivers/network/bridge/bridge-data-plane.js'
import { createDataPlane } from '../../src/drivers/network/create-data-plane.js'
import { haveKeystone } from '../support/keystone.js'
import { keystoneCli } from '../support/keystone-cli.js'
import { startKeystoneCloud, startOctaviaWithKeystone, type KeystoneCloud } from '../support/keystone-cloud.js'
import { tokenClient, waitActive, waitWithToken } from '../support/keystone-http.js'
import { createTlsFixtures, type TlsFixtures } from '../support/tls-fixtures.js'
import { haveBarbican, startBarbican, type BarbicanServer } from './support/barbican-service.js'
import { secretCliMissing } from './support/barbican-cli.js'
import { startDataplaneBackend, type DataplaneBackend } from './support/dataplane-backends.js'
import { haveOpenstackCli } from './support/openstack-cli.js'
import { errorLogLines, type IniSections, type ServiceProcess } from './support/service-process.js'
import { createTlsLoadBalancer, curlHttpsUntilOk, storePkcs12WithCli } from './support/tls-scenario.js'

// The TLS issue's CLI scenario with Keystone password auth, twice: the
// catalog's `key-manager` is octavia-ts's own store (`cert_manager = local`,
// endpoint `<octavia>/key-manager`), then a real Barbican 15 with
// `cert_manager = barbican` (octavia-ts reads the secret with the user's token,
// grants its service user read access, and the worker reads it as the
// service). Each: `openstack secret store`, a TERMINATED_HTTPS listener on the
// secret's href, a pool and a member, then curl over HTTPS through the VIP →
// 200. Amphora provider (netns as root, loopback otherwise). Requires `node build.mjs`.

const isRoot = process.geteuid?.() === 0
const PORT = isRoot ? 443 : 10443
const HOST = 'www.tls-keystone.test'
const skip = !haveKeystone() ? 'Debian\'s keystone package is not installed (scripts/setup.sh)'
  : !haveOpenstackCli() ? 'the openstack CLI is not installed (scripts/setup.sh)' : secretCliMissing()

const AMPHORA_PROVIDER: IniSections = {
  api_settings: { enabled_provider_drivers: 'amphora:The Octavia Amphora driver.,noop_driver:The no-op driver.', default_provider_driver: '' },
}

/** A cloud with alice (alpha) able to store secrets: Keystone's member and Barbican 15's legacy `creator` role. */
async function cloudForSecrets(): Promise<KeystoneCloud> {
  const cloud = await startKeystoneCloud()
  await cloud.admin.ensureRole('creator')
  for (const role of ['member', 'creator']) await cloud.admin.grant(cloud.projects.alpha, cloud.users.alice.userId, role)
  return cloud
}

/** The scenario for one catalog; resolves the load balancer id (deleted again before it returns). */
async function storeThenServe(cloud: KeystoneCloud, svc: ServiceProcess, tls: TlsFixtures, backend: DataplaneBackend, name: string): Promise<void> {
  const alice = keystoneCli(cloud.keystone.url, cloud.users.alice)
  const www = await tls.serverCertificate({ cn: HOST, dnsNames: [HOST] })
  const href = await storePkcs12WithCli(alice, name, await tls.pkcs12(www))
  const call = tokenClient(svc.url)
  const token = await cloud.token('alice')
  const lb = await createTlsLoadBalancer(alice, {
    name, secretHref: href, port: PORT, member: backend,
    vipArgs: isRoot ? ['--vip-address', `10.213.0.${150 + Math.floor(Math.random() * 100)}`] : [],
    waitActive: async id => { await waitActive(call, `/v2/lbaas/loadbalancers/${id}`, token) },
  })
  try {
    const last = await curlHttpsUntilOk(lb.vip, PORT, HOST, tls.ca.certPath)
    assert.equal(last.code, 0, `curl failed: ${last.stderr}`)
    assert.equal(last.stdout, `${backend.name}\n200 0`)
  } finally {
    await alice.ok(['loadbalancer', 'delete', '--cascade', '--wait', name]).catch(() => undefined)
  }
}

describe('TLS with Keystone: the real CLI stores the certificate, the listener serves it', { skip }, () => {
  let tls: TlsFixtures
  let backend: DataplaneBackend
  let bridgeExisted = false
  let lastConfig: ReturnType<typeof loadConfig> | null = null

  before(async () => {
    bridgeExisted = isRoot && (await exitCodeOf('ip', ['link', 'show', 'octbr-public'])) === 0
    tls = await createTlsFixtures()
  })
  after(async () => {
    await backend?.close()
    await tls?.cleanup()
    // The default bridge is shared with any other default service: remove it only if this test made it.
    if (lastConfig && isRoot && !bridgeExisted) {
      const plane = createDataPlane(lastConfig, { log: silentLogger() }).network
      if (plane instanceof BridgeDataPlane) await plane.removeUnusedBridges().catch(() => undefined)
    }
  })

  const withService = async (cloud: KeystoneCloud, sections: IniSections, run: (svc: ServiceProcess) => Promise<void>): Promise<void> => {
    const svc = await startOctaviaWithKeystone(cloud, { ...AMPHORA_PROVIDER, ...sections })
    // read now: dispose removes the file
    lastConfig = loadConfig(svc.configFile, {})
    try {
      backend ??= await startDataplaneBackend('tls-keystone-backend', isRoot ? '10.213.0.1' : '127.0.0.1')
      await run(svc)
    } finally {
      await deleteEveryLoadBalancer(cloud, svc).catch(err => process.stderr.write(`# clean-up: ${String(err)}\n`))
      const errors = errorLogLines(svc.logs())
      if (errors.length) process.stderr.write(`# service errors:\n${errors.slice(-20).join('\n')}\n`)
      await svc.dispose()
    }
  }

  it('when the catalog\'s key-manager is octavia-ts (cert_manager = local), then curl over HTTPS answers 200', async () => {
    const cloud = await cloudForSecrets()
    try {
      await withService(cloud, {}, async svc => {
        await cloud.admin.registerService('key-manager', 'barbican', `${svc.url}/key-manager`)
        await storeThenServe(cloud, svc, tls, backend, 'lb-local-store')
      })
    } finally {
      await cloud.dispose()
    }
  })

  it('when the catalog\'s key-manager is a real Barbican 15 (cert_manager = barbican), then curl over HTTPS answers 200',
    { skip: !haveBarbican() && 'Debian\'s barbican-api is not installed (scripts/setup.sh --tests)' }, async () => {
      const cloud = await cloudForSecrets()
      let barbican: BarbicanServer | undefined
      try {
        barbican = await startBarbican(cloud.keystone.url, cloud.admin)
        const a = cloud.authtoken
        const serviceAuth = {
          auth_url: `${cloud.keystone.url}/v3`, username: a.username, password: a.password, project_name: a.project_name,
          user_domain_name: a.user_domain_name, project_domain_name: a.project_domain_name,
        }
        await withService(cloud, { certificates: { cert_manager: 'barbican' }, service_auth: serviceAuth }, async svc => {
          await storeThenServe(cloud, svc, tls, backend, 'lb-barbican')
        })
      } finally {
        await barbican?.dispose()
        await cloud.dispose()
      }
    })
})

/**
 * Cascade-deletes every load balancer of the service as the cloud admin and waits until they are gone:
 * amphorae outlive the service (by design), so a scenario that failed half-way must not leave them.
 */
async function deleteEveryLoadBalancer(cloud: KeystoneCloud, svc: ServiceProcess): Promise<void> {
  const call = tokenClient(svc.url)
  const token = await cloud.token('cloudadmin')
  const lbs = (await call('GET', '/v2/lbaas/loadbalancers', token)).body.loadbalancers as { id: string }[]
  for (const { id } of lbs) await call('DELETE', `/v2/lbaas/loadbalancers/${id}?cascade=true`, token)
  for (const { id } of lbs) await waitWithToken(call, `/v2/lbaas/loadbalancers/${id}`, token, r => r.status === 404, 60_000)
}

/** Exit code of a command (no output kept). */
function exitCodeOf(cmd: string, args: string[]): Promise<number> {
  return new Promise(resolve => execFile(cmd, args, err => resolve(err ? 1 : 0)))
}
