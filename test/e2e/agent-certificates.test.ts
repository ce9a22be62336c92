/**
 * The agent's TLS files against a real HAProxy, through the controller's
 * real client over mutual TLS: stored 0600 in a 0700 directory under their
 * content's SHA-256, served by HAProxy, kept for the last known good config
 * when a reload fails, pruned after a successful reload, removed with the
 * load balancer; bad uploads refused without echoing content; no PEM text
 * in the agent's log. Loopback traffic only (127.61.x.y).
 */
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { readdir, readFile, stat, utimes } from 'node:fs/promises'
import { createServer } from 'node:net'
import { connect } from 'node:tls'
import { after, before, describe, it } from 'node:test'
import pino from 'pino'
import { loadBalancerPaths } from '../../src/amphora-api/agent-paths.js'
import { certificateDir, certificateFileName, certificateFilePath, type CertificateFile } from '../../src/amphora-api/certificate-files.js'
import { AgentRequestError } from '../../src/drivers/amphora/rest/agent-client-errors.js'
import { createTlsFixtures, type FixtureCertificate, type TlsFixtures } from '../support/tls-fixtures.js'
import {
  freePort, startAgentHarness, startBackend, testAddress, testConfig, type AgentHarness, type Backend,
} from './support/agent-harness.js'

let h: AgentHarness
let tls: TlsFixtures
const backends: Backend[] = []
const logLines: string[] = []

before(async () => {
  tls = await createTlsFixtures()
  h = await startAgentHarness({}, pino({ level: 'debug' }, { write: (line: string) => void logLines.push(line) }))
})
after(async () => {
  await h?.close()
  for (const b of backends) await b.close()
  await tls?.cleanup()
})

/** The PEM file of a server certificate: leaf then key. */
const bundle = (c: FixtureCertificate): CertificateFile => {
  const pem = c.certPem + c.keyPem
  return { name: certificateFileName(pem), pem }
}

/** The subject CN of the certificate HAProxy presents at `address:port`. */
async function servedCn(address: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: address, port, servername: 'www.example.com', rejectUnauthorized: false }, () => {
      const cn = socket.getPeerCertificate().subject?.CN
      socket.end()
      resolve(String(cn))
    })
    socket.once('error', reject)
  })
}

/** An amphora with one TLS listener whose certificate file is `crt`. */
async function tlsLoadBalancer() {
  const amp = await h.amphora()
  const lb = randomUUID()
  const backend = await startBackend('tls-member')
  backends.push(backend)
  const address = testAddress()
  const port = await freePort(address)
  const listener = { listenerId: randomUUID(), poolId: randomUUID(), servers: [{ id: randomUUID(), address: backend.address, port: backend.port }] }
  const config = (crt: CertificateFile, extraBind = ''): string => testConfig(h.base, amp, lb, [{
    ...listener, bind: `${address}:${port} ssl crt ${certificateFilePath(h.base, amp, lb, crt.name)}${extraBind}`,
  }])
  return { amp, lb, address, port, config, dir: certificateDir(h.base, amp, lb) }
}

describe('amphora agent TLS files', () => {
  it('when files are uploaded, then each is stored 0600 under its sha-256 in a 0700 directory, and again idempotently', async () => {
    const t = await tlsLoadBalancer()
    const www = bundle(await tls.serverCertificate({ cn: 'www.example.com', keyType: 'ec' }))
    const ca = { name: certificateFileName(tls.ca.certPem), pem: tls.ca.certPem }
    await h.client.uploadCertificates(h.endpoint, t.amp, t.lb, [www, ca])
    await h.client.uploadCertificates(h.endpoint, t.amp, t.lb, [www, ca])
    assert.deepEqual((await readdir(t.dir)).sort(), [www.name, ca.name].sort())
    assert.equal((await stat(t.dir)).mode & 0o777, 0o700)
    assert.equal((await stat(loadBalancerPaths(h.base, t.amp, t.lb).dir)).mode & 0o777, 0o700)
    for (const f of [www, ca]) {
      const path = certificateFilePath(h.base, t.amp, t.lb, f.name)
      assert.equal((await stat(path)).mode & 0o777, 0o600)
      assert.equal(await readFile(path, 'utf8'), f.pem)
    }
  })

  it('when a name does not match its content or the content is not PEM, then 400 without the content and nothing stored', async () => {
    const t = await tlsLoadBalancer()
    const www = bundle(await tls.serverCertificate({ cn: 'www.example.com', keyType: 'ec' }))
    const cases: CertificateFile[] = [
      { name: certificateFileName('other'), pem: www.pem },
      { name: certificateFileName('not pem at all'), pem: 'not pem at all' },
      { name: '../../escape.pem', pem: www.pem },
    ]
    for (const bad of cases) {
      const err = await h.client.uploadCertificates(h.endpoint, t.amp, t.lb, [www, bad]).then(() => null, (e: unknown) => e)
      assert.ok(err instanceof AgentRequestError, String(err))
      assert.equal(err.agentStatus, 400)
      assert.ok(!`${err.message} ${err.details}`.includes('PRIVATE KEY') && !`${err.details}`.includes('not pem at all'), err.details)
    }
    assert.deepEqual(await readdir(t.dir).catch(() => []), [])
  })

  it('when HAProxy runs with the files, a reload that fails keeps the old certificate, a good one prunes what no config names', async () => {
    const t = await tlsLoadBalancer()
    const first = bundle(await tls.serverCertificate({ cn: 'first.example.com', keyType: 'ec' }))
    const second = bundle(await tls.serverCertificate({ cn: 'second.example.com', keyType: 'ec' }))
    await h.client.uploadCertificates(h.endpoint, t.amp, t.lb, [first])
    await h.client.uploadConfig(h.endpoint, t.amp, t.lb, t.config(first))
    await h.client.action(h.endpoint, t.amp, t.lb, 'start')
    assert.equal(await servedCn(t.address, t.port), 'first.example.com')

    const blocker = createServer()
    await new Promise<void>((resolve) => blocker.listen(0, t.address, resolve))
    try {
      // `haproxy -c` binds nothing: this config passes the check and fails when HAProxy binds.
      const taken = `\n    bind ${t.address}:${(blocker.address() as { port: number }).port}`
      await h.client.uploadCertificates(h.endpoint, t.amp, t.lb, [second])
      await h.client.uploadConfig(h.endpoint, t.amp, t.lb, t.config(second, taken))
      const err = await h.client.action(h.endpoint, t.amp, t.lb, 'reload').then(() => null, (e: unknown) => e)
      assert.ok(err instanceof AgentRequestError && err.agentStatus === 500, String(err))
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()))
    }
    await eventuallyServes(t.address, t.port, 'first.example.com')
    assert.ok((await readdir(t.dir)).includes(first.name), 'the last known good config still finds its certificate')

    await h.client.uploadConfig(h.endpoint, t.amp, t.lb, t.config(second))
    const stray = { name: certificateFileName(tls.otherCa.certPem), pem: tls.otherCa.certPem }
    await h.client.uploadCertificates(h.endpoint, t.amp, t.lb, [stray])
    const hourAgo = new Date(Date.now() - 3600_000)
    await utimes(certificateFilePath(h.base, t.amp, t.lb, first.name), hourAgo, hourAgo)
    await h.client.action(h.endpoint, t.amp, t.lb, 'reload')
    assert.equal(await servedCn(t.address, t.port), 'second.example.com')
    assert.deepEqual((await readdir(t.dir)).sort(), [second.name, stray.name].sort(), 'the old file is pruned, a fresh unreferenced one kept for now')

    await utimes(certificateFilePath(h.base, t.amp, t.lb, stray.name), hourAgo, hourAgo)
    await h.client.action(h.endpoint, t.amp, t.lb, 'reload')
    assert.deepEqual(await readdir(t.dir), [second.name])

    await h.client.deleteLoadBalancer(h.endpoint, t.amp, t.lb)
    await assert.rejects(stat(t.dir), { code: 'ENOENT' })
  })

  it('when the agent logged all of the above, then no PEM text is in its log', () => {
    assert.ok(logLines.length > 0, 'the agent logged something')
    const text = logLines.join('')
    assert.ok(!text.includes('-----BEGIN') && !text.includes('PRIVATE KEY'), 'no PEM in the log')
  })
})

/** Waits until HAProxy presents `cn` again (a failed reload pauses the old worker's listeners for a moment). */
async function eventuallyServes(address: string, port: number, cn: string): Promise<void> {
  const deadline = Date.now() + 10_000
  let last = ''
  while (Date.now() < deadline) {
    last = await servedCn(address, port).catch((e: Error) => e.message)
    if (last === cn) return
    await new Promise((r) => setTimeout(r, 200))
  }
  assert.fail(`still served ${last}`)
}
