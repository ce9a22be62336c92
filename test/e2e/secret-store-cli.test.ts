import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { promisify } from 'node:util'
import { secretCliMissing } from './support/barbican-cli.js'
import { openstackCli, type OpenstackCli } from './support/openstack-cli.js'
import { createScratchPgDatabase, type ScratchPgDatabase } from './support/pg-database.js'
import { assertNoLeak, keyNeedles, type Needle } from './support/secret-leaks.js'
import { errorLogLines, startService, type ServiceProcess } from './support/service-process.js'
import { createTlsFixtures, type FixtureCertificate, type TlsFixtures } from '../support/tls-fixtures.js'

// The real `openstack secret …` CLI (python3-barbicanclient) against
// octavia-ts's local secret store in noauth mode (`--os-endpoint …/v1`),
// and the acceptance's check that the private key's bytes appear nowhere
// but in the payload answer: not in the SQLite file, a pg_dump, the logs or
// any other answer. The Keystone catalog mode is in secret-store-keystone.test.ts.

const run = promisify(execFile)
const skip = secretCliMissing()

/** Every file under `dir` (the state directory: database, WAL, key file), concatenated. */
const filesUnder = (dir: string): Buffer =>
  Buffer.concat(readdirSync(dir, { withFileTypes: true, recursive: true }).filter(e => e.isFile()).map(e => readFileSync(join(e.parentPath, e.name))))

describe('the openstack secret CLI against the local store (noauth)', { skip }, () => {
  let tls: TlsFixtures
  let www: FixtureCertificate
  let p12: Buffer
  let needles: Needle[]
  let svc: ServiceProcess
  let cli: OpenstackCli
  const answers: string[] = []
  const ok = async (args: string[]) => { const out = await cli.ok(args); answers.push(out); return out }
  const json = async (args: string[]) => JSON.parse(await ok([...args, '-f', 'json']))
  const href: Record<string, string> = {}

  before(async () => {
    tls = await createTlsFixtures()
    www = await tls.serverCertificate({ cn: 'www.example.com', dnsNames: ['www.example.com'] })
    p12 = await tls.pkcs12(www)
    needles = keyNeedles(www.keyPem, { 'PKCS12 bundle': p12 })
    svc = await startService()
    cli = openstackCli(`${svc.url}/v1`)
  })
  after(async () => {
    const errors = svc ? errorLogLines(svc.logs()) : []
    if (errors.length) process.stderr.write(`# service errors:\n${errors.slice(-20).join('\n')}\n`)
    await svc?.dispose()
    await tls?.cleanup()
  })

  it('when a PKCS12 bundle is stored as base64, then the CLI answers its href and lists it', async () => {
    const stored = await json(['secret', 'store', '--name', 'tls1', '-t', 'application/octet-stream', '-e', 'base64', '--payload', p12.toString('base64')])
    href.p12 = stored['Secret href']
    assert.match(href.p12, new RegExp(`^${svc.url}/v1/secrets/[0-9a-f-]{36}$`))
    const list = await json(['secret', 'list'])
    const row = list.find((s: any) => s['Secret href'] === href.p12)
    assert.ok(row, JSON.stringify(list))
    assert.equal(row.Name, 'tls1')
    assert.deepEqual(row['Content types'], { default: 'application/octet-stream' })
    assert.equal((await json(['secret', 'list', '--name', 'no-such'])).length, 0)
  })

  it('when the secret is shown, then its metadata answers; --file -t application/octet-stream writes the exact bundle', async () => {
    const shown = await json(['secret', 'get', href.p12])
    assert.equal(shown.Name, 'tls1')
    assert.equal(shown['Secret type'], 'opaque')
    assert.equal(shown.Status, 'ACTIVE')
    const file = join(tls.dir, 'fetched.p12')
    await cli.ok(['secret', 'get', href.p12, '--file', file, '-t', 'application/octet-stream'])
    assert.deepEqual(readFileSync(file), p12)
    // NOTE: the CLI asks for text/plain by default; binary that is not UTF-8 is Barbican's 406 then.
    const asText = await cli.run(['secret', 'get', href.p12, '--file', join(tls.dir, 'as-text.p12')])
    assert.notEqual(asText.code, 0)
    assert.match(asText.stderr, /Not Acceptable: Secret payload retrieval issue seen - Wrong payload content-type\./)
  })

  it('when a PEM secret is fetched with --payload, then the CLI prints it', async () => {
    // NOTE: without -t the CLI sends the payload as base64 octet-stream, so its bytes come back unstripped.
    const stored = await json(['secret', 'store', '--name', 'ca', '--payload', tls.ca.certPem])
    href.ca = stored['Secret href']
    assert.deepEqual((await json(['secret', 'get', href.ca]))['Content types'], { default: 'application/octet-stream' })
    const payload = JSON.parse(await cli.ok(['secret', 'get', href.ca, '--payload', '-f', 'json']))
    assert.equal(payload.Payload, tls.ca.certPem)
    const text = await json(['secret', 'store', '--name', 'text', '-t', 'text/plain', '--payload', 'hello text'])
    assert.equal(JSON.parse(await cli.ok(['secret', 'get', text['Secret href'], '--payload', '-f', 'json'])).Payload, 'hello text')
  })

  it('when a certificate container is created from PEM secrets, then it lists its references by name', async () => {
    href.cert = (await json(['secret', 'store', '--name', 'cert', '--payload', www.certPem]))['Secret href']
    href.key = (await json(['secret', 'store', '--name', 'key', '--payload', www.keyPem]))['Secret href']
    const c = await json(['secret', 'container', 'create', '--type', 'certificate', '--name', 'tls-container',
      '--secret', `certificate=${href.cert}`, '--secret', `private_key=${href.key}`])
    href.container = c['Container href']
    assert.match(href.container, /\/v1\/containers\/[0-9a-f-]{36}$/)
    // NOTE: the CLI cannot print a container's Created (a datetime) as JSON, with Barbican too: columns chosen.
    const shown = await json(['secret', 'container', 'get', href.container, '-c', 'Type', '-c', 'Certificate', '-c', 'Private Key'])
    assert.deepEqual(shown, { Type: 'certificate', Certificate: href.cert, 'Private Key': href.key })
    assert.ok((await json(['secret', 'container', 'list', '-c', 'Container href'])).some((x: any) => x['Container href'] === href.container))
  })

  it('when secrets and the container are deleted, then they are gone', async () => {
    await ok(['secret', 'container', 'delete', href.container])
    await ok(['secret', 'delete', href.ca])
    const r = await cli.run(['secret', 'get', href.ca])
    assert.notEqual(r.code, 0)
    assert.match(r.stderr, /Secret not found/)
  })

  it('when everything is done, then the key\'s bytes are in no answer, no file of the state directory and no log line', async () => {
    for (const [i, a] of answers.entries()) assertNoLeak(a, needles, `CLI answer ${i}`)
    await svc.stop()
    assertNoLeak(filesUnder(join(svc.dir, 'state')), needles, 'the state directory (SQLite database, WAL, key file)')
    assertNoLeak(svc.logs(), needles, 'the service log')
    assert.match(svc.logs(), /"url":"\/v1\/secrets\/?"/, 'the store requests are logged (without their bodies)')
  })
})

describe('the local store on PostgreSQL', { skip }, () => {
  let tls: TlsFixtures
  let pgdb: ScratchPgDatabase
  let svc: ServiceProcess
  before(async () => {
    tls = await createTlsFixtures()
    pgdb = await createScratchPgDatabase()
    svc = await startService({ sections: { database: { connection: pgdb.url } } })
  })
  after(async () => {
    await svc?.dispose()
    await pgdb?.drop()
    await tls?.cleanup()
  })

  it('when a bundle and a PEM key are stored, then pg_dump and the log hold none of the key\'s bytes', async () => {
    const www = await tls.serverCertificate({ cn: 'pg.example.com' })
    const p12 = await tls.pkcs12(www)
    const cli = openstackCli(`${svc.url}/v1`)
    const stored = JSON.parse(await cli.ok(['secret', 'store', '--name', 'pg', '-t', 'application/octet-stream', '-e', 'base64', '--payload', p12.toString('base64'), '-f', 'json']))
    await cli.ok(['secret', 'store', '--name', 'pg-key', '--payload', www.keyPem])
    const back = await fetch(`${stored['Secret href']}/payload`)
    assert.deepEqual(Buffer.from(await back.arrayBuffer()), p12)
    const { stdout: dump } = await run('pg_dump', ['--data-only', pgdb.url], { maxBuffer: 64 * 1024 * 1024, encoding: 'buffer' })
    assert.ok(dump.includes(Buffer.from(stored['Secret href'].slice(-36))), 'the dump holds the secret row')
    const needles = keyNeedles(www.keyPem, { 'PKCS12 bundle': p12 })
    assertNoLeak(dump, needles, 'pg_dump')
    assertNoLeak(svc.logs(), needles, 'the service log')
  })
})
