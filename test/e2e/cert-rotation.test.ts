/**
 * Housekeeping's certificate rotation against a real agent (HTTPS, mutual
 * TLS) whose first certificate, issued with a short
 * `[certificates] cert_validity_time`, falls within `cert_expiry_buffer`:
 * one round replaces it without a restart (new connections get the new
 * certificate, an open keep-alive connection goes on), records the new
 * expiry on every amphora of that agent, and a restart keeps it. A failed
 * upload and bad certificates change nothing.
 */
import assert from 'node:assert/strict'
import { readFile, mkdir, rename, rm, writeFile } from 'node:fs/promises'
import { Agent as HttpsAgent, request } from 'node:https'
import { join } from 'node:path'
import type { TLSSocket } from 'node:tls'
import { setTimeout as sleep } from 'node:timers/promises'
import { after, before, describe, it } from 'node:test'
import { pino } from 'pino'
import { silentLogger, type Logger } from '../../src/common/logging.js'
import type { Database } from '../../src/db/database.js'
import { AgentRequestError } from '../../src/drivers/amphora/rest/agent-client-errors.js'
import { AgentClient, agentClientOptions } from '../../src/drivers/amphora/rest/agent-client.js'
import { controllerClientTls } from '../../src/drivers/amphora/rest/client-tls.js'
import { readAgentCertificate, type AgentCertificate } from '../../src/drivers/amphora/agent-certificate.js'
import { CertRotation } from '../../src/housekeeping/cert-rotation.js'
import { LocalCa } from '../../src/pki/local-ca.js'
import type { TlsMaterial } from '../../src/pki/tls-material.js'
import { freshDatabase } from '../support/databases.js'
import { agentConfig, startAgentHarness, type AgentHarness } from './support/agent-harness.js'

const DAY_MS = 86_400_000
const stored = (d: Date): string => d.toISOString().slice(0, 23)

let h: AgentHarness
let tls: TlsMaterial
let db: Awaited<ReturnType<typeof freshDatabase>>
let keepAlive: HttpsAgent

/** Housekeeping's rotation, pointed at the agent's current port, with default `cert_validity_time` (30 days). */
const rotation = (log: Logger = silentLogger()): CertRotation => new CertRotation(
  agentConfig(h.stateDir, { OCTAVIA_TS__haproxy_amphora__bind_port: String(h.endpoint.port) }),
  { database: db.database, log },
)

const served = (): Promise<AgentCertificate> => readAgentCertificate(h.endpoint, 0, tls, AbortSignal.timeout(10_000))

const amphorae = async (d: Database) => Object.fromEntries((await d.db.selectFrom('amphora').select(['id', 'cert_expiration', 'cert_busy']).execute())
  .map((r) => [r.id, { expiration: r.cert_expiration, busy: Number(r.cert_busy) }]))

/** Serial of the certificate each connection's handshake presented. */
const handshakes = new WeakMap<TLSSocket, string>()

/** GET / on the agent through `agent`; what the connection looked like. */
function get(agent: HttpsAgent | false, material: { ca: string; cert?: string; key?: string }): Promise<{ status: number; serial: string; reused: boolean; localPort: number }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: h.endpoint.port, path: '/', agent, ...(agent === false ? material : {}), timeout: 10_000 }, (res) => {
      const socket = res.socket as TLSSocket
      // NOTE: Node answers a socket's peer certificate only once; remember it per connection.
      if (!handshakes.has(socket)) handshakes.set(socket, (socket.getPeerX509Certificate()?.serialNumber ?? '').toUpperCase())
      const seen = {
        status: res.statusCode ?? 0,
        serial: handshakes.get(socket) ?? '',
        reused: req.reusedSocket,
        localPort: socket.localPort ?? 0,
      }
      res.resume()
      res.on('end', () => resolve(seen))
    })
    req.on('error', reject)
    req.end()
  })
}

async function insertRows(d: Database, expiration: string): Promise<void> {
  const lb = (id: string, provider: string) => d.db.insertInto('load_balancer').values({
    id, project_id: 'p', name: null, description: null, provisioning_status: 'ACTIVE', operating_status: 'ONLINE',
    enabled: 1, topology: 'SINGLE', provider, flavor_id: null, availability_zone: null, created_at: stored(new Date()), updated_at: null,
  }).execute()
  const amp = (id: string, lbId: string, status: string) => d.db.insertInto('amphora').values({
    id, load_balancer_id: lbId, compute_id: null, status, lb_network_ip: '127.0.0.1', vrrp_ip: null, ha_ip: null,
    vrrp_port_id: null, ha_port_id: null, role: 'STANDALONE', cert_expiration: expiration, cert_busy: 0,
    vrrp_interface: null, vrrp_id: null, vrrp_priority: null, cached_zone: null, image_id: null,
    compute_flavor: null, created_at: stored(new Date()), updated_at: null,
  }).execute()
  await lb('lb-1', 'amphora')
  await lb('lb-2', 'octavia')
  await amp('amp-1', 'lb-1', 'ALLOCATED')
  await amp('amp-2', 'lb-2', 'ALLOCATED')
  await amp('amp-deleted', 'lb-1', 'DELETED')
}

before(async () => {
  h = await startAgentHarness({ OCTAVIA_TS__certificates__cert_validity_time: String(5 * 86_400) })
  tls = await controllerClientTls(h.config)
  db = await freshDatabase('sqlite')
  keepAlive = new HttpsAgent({ keepAlive: true, maxSockets: 1, ca: tls.ca, cert: tls.cert, key: tls.key })
})
after(async () => {
  keepAlive.destroy()
  await db.drop()
  await h.close()
})

describe('housekeeping certificate rotation with a real agent', () => {
  let original: AgentCertificate
  let rotated: AgentCertificate

  it('when the agent starts, then its first certificate is valid for cert_validity_time, within cert_expiry_buffer', async () => {
    original = await served()
    const days = (original.info.notAfter.getTime() - Date.now()) / DAY_MS
    assert.ok(days > 4.9 && days <= 5, `first certificate valid ${days} days`)
    await insertRows(db.database, stored(original.info.notAfter))
  })

  it('when one round runs, then the agent serves a new certificate with the same names, new connections work and an open one goes on', async () => {
    const before = await get(keepAlive, tls)
    assert.equal(before.status, 200)
    assert.equal(before.serial, original.info.serialNumber)

    const counts = await rotation().runOnce()
    assert.deepEqual(counts, { agents: 1, amphorae: 2, rotated: 1, failed: 0, skipped: 0 })

    rotated = await served()
    assert.notEqual(rotated.info.serialNumber, original.info.serialNumber)
    assert.ok(rotated.info.notAfter.getTime() - Date.now() > 29 * DAY_MS, `new expiry ${rotated.info.notAfter.toISOString()}`)
    assert.deepEqual(rotated.info.dnsNames, original.info.dnsNames)
    assert.deepEqual(rotated.info.ipAddresses, original.info.ipAddresses)
    assert.equal(rotated.info.subject, original.info.subject)

    const client = new AgentClient(agentClientOptions(h.config.haproxy_amphora, tls))
    try {
      assert.equal((await client.info(h.endpoint)).api_version, '1.0', 'mutual TLS through the real agent client')
    } finally {
      await client.close()
    }
    const again = await get(keepAlive, tls)
    assert.equal(again.status, 200)
    assert.equal(again.reused, true, 'the keep-alive connection opened before the rotation was reused')
    assert.equal(again.localPort, before.localPort)
    assert.equal(again.serial, original.info.serialNumber, 'an established connection keeps its handshake')
    const fresh = await get(false, tls)
    assert.equal(fresh.serial, rotated.info.serialNumber)
    await assert.rejects(get(false, { ca: tls.ca }), 'a client without a certificate is still refused')
  })

  it('then every live amphora of that agent has the new cert_expiration and cert_busy 0, and a second round finds nothing', async () => {
    assert.deepEqual(await amphorae(db.database), {
      'amp-1': { expiration: stored(rotated.info.notAfter), busy: 0 },
      'amp-2': { expiration: stored(rotated.info.notAfter), busy: 0 },
      'amp-deleted': { expiration: stored(original.info.notAfter), busy: 0 },
    })
    assert.deepEqual(await rotation().runOnce(), { agents: 0, amphorae: 0, rotated: 0, failed: 0, skipped: 0 })
  })

  it('when the agent restarts, then it keeps the rotated certificate', async () => {
    await h.restartAgent()
    assert.equal((await served()).info.serialNumber, rotated.info.serialNumber)
  })

  it('when the agent cannot store the uploaded certificate, then the round fails, cert_busy is cleared and the old expiry and certificate stay', async () => {
    const path = join(h.stateDir, 'pki', 'agent-server.pem')
    const fileBefore = await readFile(path, 'utf8')
    // NOTE: a non-empty directory where the certificate file was makes the agent's atomic rename fail.
    await rename(path, `${path}.saved`)
    await mkdir(path)
    await writeFile(join(path, 'blocker'), 'x')
    try {
      const rowsBefore = await amphorae(db.database)
      const errors: { err?: { message?: string }; agent?: string }[] = []
      const log: Logger = pino({ level: 'error' }, { write: (line: string) => void errors.push(JSON.parse(line) as never) })
      const counts = await rotation(log).runOnce(new Date(Date.now() + 20 * DAY_MS))
      assert.deepEqual(counts, { agents: 1, amphorae: 2, rotated: 0, failed: 1, skipped: 0 })
      assert.equal(errors.length, 1)
      assert.equal(errors[0]?.agent, '127.0.0.1')
      assert.match(errors[0]?.err?.message ?? '', /^Internal error$/, 'the agent refused the upload (it could not store it)')
      assert.deepEqual(await amphorae(db.database), rowsBefore)
      assert.equal(rowsBefore['amp-1']?.busy, 0)
      assert.equal((await served()).info.serialNumber, rotated.info.serialNumber)
    } finally {
      await rm(path, { recursive: true, force: true })
      await rename(`${path}.saved`, path)
    }
    assert.equal(await readFile(path, 'utf8'), fileBefore)
  })

  it('when a bad certificate is PUT, then the agent answers 400 and serves and keeps the one it had', async () => {
    const ca = await LocalCa.open(join(h.stateDir, 'pki'))
    const foreignDir = join(h.stateDir, 'foreign-ca')
    const foreign = await LocalCa.open(foreignDir)
    const names = { commonName: 'agent', dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'] }
    const good = await ca.issueServer(names)
    const other = await ca.issueServer(names)
    const expiring = await ca.issueServer({ ...names, validityDays: 1e-6 })
    await sleep(300)
    const cases: Record<string, [string, RegExp]> = {
      'not PEM': ['hello', /one PEM certificate and its private key/],
      'certificate without key': [good.certPem, /one PEM certificate and its private key/],
      'key of another certificate': [good.certPem + other.keyPem, /private key does not belong/],
      'issued by a foreign CA': [await foreign.issueServer(names).then((c) => c.certPem + c.keyPem), /not a CA this agent trusts/],
      'a client certificate': [await ca.issueClient({ commonName: 'c' }).then((c) => c.certPem + c.keyPem), /not meant for TLS servers/],
      'a CA certificate': [ca.certPem + (await readFile(join(h.stateDir, 'pki', 'ca-key.pem'), 'utf8')), /CA certificate is not a server certificate/],
      'expired': [expiring.certPem + expiring.keyPem, /not valid now/],
      'two certificates': [good.certPem + other.certPem + good.keyPem, /one PEM certificate and its private key/],
    }
    const path = join(h.stateDir, 'pki', 'agent-server.pem')
    const fileBefore = await readFile(path, 'utf8')
    const client = new AgentClient({ ...agentClientOptions(h.config.haproxy_amphora, tls), maxRetries: 1 })
    try {
      for (const [name, [pem, reason]] of Object.entries(cases)) {
        await assert.rejects(client.installCertificate(h.endpoint, pem),
          (err: unknown) => err instanceof AgentRequestError && err.agentStatus === 400 && reason.test(err.details ?? ''), name)
        assert.equal((await served()).info.serialNumber, rotated.info.serialNumber, name)
        assert.equal(await readFile(path, 'utf8'), fileBefore, name)
      }
      const installed = await client.installCertificate(h.endpoint, good.certPem + good.keyPem)
      assert.equal(installed.serial_number, good.info.serialNumber, 'a good certificate is still accepted afterwards')
      assert.equal(installed.not_after, good.info.notAfter.toISOString())
      assert.equal((await served()).info.serialNumber, good.info.serialNumber)
    } finally {
      await client.close()
    }
  })
})
