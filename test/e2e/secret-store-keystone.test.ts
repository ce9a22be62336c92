import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { secretCliMissing } from './support/barbican-cli.js'
import type { OpenstackCli } from './support/openstack-cli.js'
import { assertNoLeak, keyNeedles } from './support/secret-leaks.js'
import { errorLogLines, type ServiceProcess } from './support/service-process.js'
import { haveKeystone } from '../support/keystone.js'
import { keystoneCli } from '../support/keystone-cli.js'
import { startKeystoneCloud, startOctaviaWithKeystone, type KeystoneCloud } from '../support/keystone-cloud.js'
import { createTlsFixtures, type TlsFixtures } from '../support/tls-fixtures.js'

// The real `openstack secret …` CLI with password auth against a real
// Keystone whose catalog's `key-manager` endpoint is octavia-ts's
// `/key-manager` (keystoneauth discovers `/key-manager/v1/` from Barbican's
// version document there): secrets belong to the token's project, another
// project's member gets Barbican's 403, a reader is refused.

const skip = !haveKeystone() ? 'Debian\'s keystone package is not installed (scripts/setup.sh)' : secretCliMissing()

describe('the openstack secret CLI through a Keystone catalog', { skip }, () => {
  let cloud: KeystoneCloud
  let svc: ServiceProcess
  let tls: TlsFixtures
  let mia: OpenstackCli
  let bob: OpenstackCli
  let p12: Buffer
  let keyPem: string
  let href = ''
  const answers: string[] = []

  before(async () => {
    tls = await createTlsFixtures()
    const www = await tls.serverCertificate({ cn: 'kc.example.com', dnsNames: ['kc.example.com'] })
    p12 = await tls.pkcs12(www)
    keyPem = www.keyPem
    cloud = await startKeystoneCloud()
    svc = await startOctaviaWithKeystone(cloud)
    await cloud.admin.registerService('key-manager', 'barbican', `${svc.url}/key-manager`)
    // bob is a load-balancer_member of beta; Barbican's rules want Keystone's member role.
    await cloud.admin.grant(cloud.projects.beta, cloud.users.bob.userId, 'member')
    mia = keystoneCli(cloud.keystone.url, cloud.users.mia)
    bob = keystoneCli(cloud.keystone.url, cloud.users.bob)
  })
  after(async () => {
    const errors = svc ? errorLogLines(svc.logs()) : []
    if (errors.length) process.stderr.write(`# service errors:\n${errors.slice(-20).join('\n')}\n`)
    await svc?.dispose()
    await cloud?.dispose()
    await tls?.cleanup()
  })

  it('when a member stores a PKCS12 bundle, then its href is under /key-manager and it is listed in her project', async () => {
    const out = await mia.ok(['secret', 'store', '--name', 'kc1', '-t', 'application/octet-stream', '-e', 'base64', '--payload', p12.toString('base64'), '-f', 'json'])
    answers.push(out)
    href = JSON.parse(out)['Secret href']
    assert.match(href, new RegExp(`^${svc.url}/key-manager/v1/secrets/[0-9a-f-]{36}$`))
    const list = await mia.ok(['secret', 'list', '-f', 'json'])
    answers.push(list)
    const row = JSON.parse(list).find((s: any) => s['Secret href'] === href)
    assert.ok(row, list)
    const meta = await fetch(href, { headers: { 'x-auth-token': await cloud.token('mia'), accept: 'application/json' } })
    assert.equal(meta.status, 200)
    assert.equal((await meta.json()).creator_id, cloud.users.mia.userId)
  })

  it('when she fetches the payload to a file, then it is the bundle', async () => {
    const file = join(tls.dir, 'kc1.p12')
    await mia.ok(['secret', 'get', href, '--file', file, '-t', 'application/octet-stream'])
    assert.deepEqual(readFileSync(file), p12)
  })

  it('when another project\'s member reads it, then Barbican\'s 403; his list does not show it', async () => {
    const r = await bob.run(['secret', 'get', href])
    assert.notEqual(r.code, 0)
    assert.match(r.stderr, /Forbidden: Secret retrieval attempt not allowed - please review your user\/project privileges/)
    const p = await bob.run(['secret', 'get', href, '--payload', '-t', 'application/octet-stream'])
    assert.notEqual(p.code, 0)
    assert.match(p.stderr, /Forbidden/)
    const list = await bob.ok(['secret', 'list', '-f', 'json'])
    assert.ok(!list.includes(href))
  })

  it('when a reader lists, then the store refuses (Barbican wants member)', async () => {
    const rita = keystoneCli(cloud.keystone.url, cloud.users.rita)
    const r = await rita.run(['secret', 'list'])
    assert.notEqual(r.code, 0)
    assert.match(r.stderr, /Forbidden: Secret\(s\) retrieval attempt not allowed/)
  })

  it('when she deletes it, then it is gone; no answer or log line held the key', async () => {
    await mia.ok(['secret', 'delete', href])
    const r = await mia.run(['secret', 'get', href])
    assert.match(r.stderr, /Secret not found/)
    const needles = keyNeedles(keyPem, { 'PKCS12 bundle': p12 })
    for (const [i, a] of answers.entries()) assertNoLeak(a, needles, `CLI answer ${i}`)
    assertNoLeak(svc.logs(), needles, 'the service log')
  })
})
