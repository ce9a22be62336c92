import assert from 'node:assert/strict'
import { X509Certificate } from 'node:crypto'
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { createServer, connect } from 'node:tls'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { describeCertificate, expiresWithin } from './certificate-info.js'
import { LocalCa } from './local-ca.js'
import { ensureIssuedFile } from './tls-material.js'

const dirs: string[] = []
const tempDir = async (): Promise<string> => {
  const d = await mkdtemp(join(tmpdir(), 'octavia-pki-'))
  dirs.push(d)
  return d
}
after(async () => { for (const d of dirs) await rm(d, { recursive: true, force: true }) })

/** Completes a TLS handshake between a server and a client with the given material. */
async function handshake(server: { cert: string; key: string; ca: string }, client: { cert?: string; key?: string; ca: string }, servername = 'localhost'): Promise<string | null> {
  const srv = createServer({ cert: server.cert, key: server.key, ca: server.ca, requestCert: true, rejectUnauthorized: true }, (s) => s.end('ok'))
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve))
  const port = (srv.address() as { port: number }).port
  try {
    return await new Promise<string | null>((resolve) => {
      const s = connect({ host: '127.0.0.1', port, servername, ...client }, () => undefined)
      let data = ''
      s.on('data', (d: Buffer) => { data += d.toString() })
      s.on('end', () => resolve(data === 'ok' ? null : `no data: '${data}'`))
      s.on('error', (err) => resolve(err.message))
    })
  } finally {
    srv.close()
  }
}

describe('LocalCa', () => {
  it('when opened on an empty directory, then it creates ca.pem and a 0600 ca-key.pem with a P-256 CA certificate', async () => {
    const dir = join(await tempDir(), 'pki')
    const ca = await LocalCa.open(dir)
    assert.equal((await stat(join(dir, 'ca-key.pem'))).mode & 0o777, 0o600)
    assert.equal((await stat(dir)).mode & 0o777, 0o700)
    const cert = new X509Certificate(await readFile(join(dir, 'ca.pem'), 'utf8'))
    assert.equal(cert.ca, true)
    assert.equal(cert.publicKey.asymmetricKeyDetails?.namedCurve, 'prime256v1')
    assert.ok(ca.info.notAfter.getTime() - Date.now() > 9 * 365 * 86_400_000)
  })

  it('when opened again, then it loads the same CA instead of creating one', async () => {
    const dir = await tempDir()
    const first = await LocalCa.open(dir)
    const second = await LocalCa.open(dir)
    assert.equal(second.certPem, first.certPem)
  })

  it('when several openers race on an empty directory, then they all end up with one CA', async () => {
    const dir = await tempDir()
    const cas = await Promise.all([1, 2, 3, 4].map(() => LocalCa.open(dir)))
    const onDisk = await readFile(join(dir, 'ca.pem'), 'utf8')
    for (const ca of cas) assert.equal(ca.certPem, onDisk)
  })

  it('when ca.pem is missing beside an existing key, then it is re-created from that key', async () => {
    const dir = await tempDir()
    const first = await LocalCa.open(dir)
    const leaf = await first.issueClient({ commonName: 'c' })
    await rm(join(dir, 'ca.pem'))
    const second = await LocalCa.open(dir, { creationWaitMs: 10 })
    assert.notEqual(second.certPem, first.certPem)
    assert.ok(second.issued(leaf.certPem), 'certificates issued before still verify')
  })

  it('when ca.pem and ca-key.pem do not belong together, then opening throws', async () => {
    const a = await tempDir()
    const b = await tempDir()
    await LocalCa.open(a)
    await LocalCa.open(b)
    await writeFile(join(a, 'ca.pem'), await readFile(join(b, 'ca.pem')))
    await assert.rejects(LocalCa.open(a), /does not match/)
  })

  it('when a server certificate is issued, then it names the DNS names and IPs, has readable validity and completes mutual TLS', async () => {
    const ca = await LocalCa.open(await tempDir())
    const server = await ca.issueServer({ commonName: 'agent', dnsNames: ['localhost', 'agent.example'], ipAddresses: ['127.0.0.1', '::1'], validityDays: 10 })
    assert.deepEqual(server.info.dnsNames, ['localhost', 'agent.example'])
    assert.deepEqual(server.info.ipAddresses, ['127.0.0.1', '::1'])
    const days = (server.info.notAfter.getTime() - Date.now()) / 86_400_000
    assert.ok(days > 9.9 && days <= 10, `validity ${days} days`)
    assert.ok(!expiresWithin(server.info, 86_400_000))
    assert.ok(expiresWithin(server.info, 11 * 86_400_000))
    assert.deepEqual(describeCertificate(server.certPem), server.info)
    const client = await ca.issueClient({ commonName: 'controller' })
    const result = await handshake({ cert: server.certPem, key: server.keyPem, ca: ca.certPem },
      { cert: client.certPem, key: client.keyPem, ca: ca.certPem })
    assert.equal(result, null)
  })

  it('when the client has no certificate or one from another CA, then the handshake is refused', async () => {
    const ca = await LocalCa.open(await tempDir())
    const other = await LocalCa.open(await tempDir())
    const server = await ca.issueServer({ commonName: 's', dnsNames: ['localhost'] })
    const foreign = await other.issueClient({ commonName: 'intruder' })
    const material = { cert: server.certPem, key: server.keyPem, ca: ca.certPem }
    assert.notEqual(await handshake(material, { ca: ca.certPem }), null)
    assert.notEqual(await handshake(material, { cert: foreign.certPem, key: foreign.keyPem, ca: ca.certPem }), null)
    assert.equal(ca.issued(foreign.certPem), false)
  })

  it('when the server certificate does not name the host, then the client refuses it', async () => {
    const ca = await LocalCa.open(await tempDir())
    const server = await ca.issueServer({ commonName: 's', dnsNames: ['elsewhere.example'] })
    const client = await ca.issueClient({ commonName: 'c' })
    const result = await handshake({ cert: server.certPem, key: server.keyPem, ca: ca.certPem },
      { cert: client.certPem, key: client.keyPem, ca: ca.certPem }, 'localhost')
    assert.match(result ?? '', /altnames|does not match/i)
  })

  it('when an issued file exists and fits, then ensureIssuedFile reuses it; when it misses a name, then it re-issues', async () => {
    const dir = await tempDir()
    const ca = await LocalCa.open(dir)
    const path = join(dir, 'server.pem')
    const issue = (names: string[]) => () => ca.issueServer({ commonName: 's', dnsNames: names })
    const first = await ensureIssuedFile(ca, path, issue(['a']))
    assert.equal((await stat(path)).mode & 0o777, 0o600)
    const again = await ensureIssuedFile(ca, path, issue(['a']), (i) => i.dnsNames.includes('a'))
    assert.equal(again.cert, first.cert)
    const renewed = await ensureIssuedFile(ca, path, issue(['a', 'b']), (i) => i.dnsNames.includes('b'))
    assert.notEqual(renewed.cert, first.cert)
    assert.deepEqual(renewed.info.dnsNames, ['a', 'b'])
  })

  it('when an issued file comes from another CA or nears expiry, then it is re-issued', async () => {
    const dir = await tempDir()
    const ca = await LocalCa.open(dir)
    const other = await LocalCa.open(await tempDir())
    const path = join(dir, 'client.pem')
    const foreign = await other.issueClient({ commonName: 'x' })
    await writeFile(path, foreign.certPem + foreign.keyPem)
    const replaced = await ensureIssuedFile(ca, path, () => ca.issueClient({ commonName: 'c' }))
    assert.ok(ca.issued(replaced.cert))
    const short = await ca.issueClient({ commonName: 'c', validityDays: 5 })
    await writeFile(path, short.certPem + short.keyPem)
    const renewed = await ensureIssuedFile(ca, path, () => ca.issueClient({ commonName: 'c' }))
    assert.notEqual(renewed.cert, short.certPem)
  })
})
