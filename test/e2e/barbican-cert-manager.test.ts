import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { silentLogger } from '../../src/common/logging.js'
import { BarbicanCertManager } from '../../src/drivers/certificates/barbican-cert-manager.js'
import { CertificateDataError, CertificateRetrievalError, type CertificateReader } from '../../src/model/certificate-manager.js'
import { caCertificatesFrom } from '../../src/pki/tls-bundle.js'
import { haveKeystone, startKeystone, type KeystoneServer } from '../support/keystone.js'
import { issueToken, KeystoneAdmin } from '../support/keystone-admin.js'
import { keystoneCli } from '../support/keystone-cli.js'
import { createTlsFixtures, type FixtureCertificate, type TlsFixtures } from '../support/tls-fixtures.js'
import { haveBarbican, startBarbican, type BarbicanServer } from './support/barbican-service.js'
import { haveOpenstackCli, type OpenstackCli } from './support/openstack-cli.js'

// The barbican certificate manager against a real Barbican 15 (Debian's
// barbican-api under uWSGI) and a real Keystone: a member of project alpha
// stores secrets with the real `openstack secret …` CLI, as Octavia's
// cookbook does; the manager authenticates as the Octavia service user
// (project `service`, role `admin`, as Octavia's install guide sets it up).

const skip = !haveKeystone() ? 'Debian\'s keystone package is not installed (scripts/setup.sh)'
  : !haveBarbican() ? 'Debian\'s barbican-api package is not installed (scripts/setup.sh --tests)'
    : !haveOpenstackCli() ? 'the openstack CLI is not installed (scripts/setup.sh)' : false

describe('the barbican certificate manager with Barbican 15 and Keystone', { skip, timeout: 300_000 }, () => {
  let keystone: KeystoneServer | undefined
  let barbican: BarbicanServer | undefined
  let tls: TlsFixtures | undefined
  let manager: BarbicanCertManager
  let alice: OpenstackCli
  let aliceReader: CertificateReader
  let bobReader: CertificateReader
  let octaviaUserId: string
  let www: FixtureCertificate
  const service: CertificateReader = { kind: 'service' }

  before(async () => {
    tls = await createTlsFixtures()
    keystone = await startKeystone()
    const admin = await KeystoneAdmin.login(keystone.url, keystone.adminPassword)
    const people = await createPeople(admin)
    octaviaUserId = people.octaviaUserId
    barbican = await startBarbican(keystone.url, admin)
    console.log(`# barbican-api answered ${barbican.startMs} ms after uWSGI was spawned`)
    alice = keystoneCli(keystone.url, { username: 'alice', password: people.password, projectName: 'alpha' })
    aliceReader = { kind: 'project', projectId: people.alpha, authToken: await issueToken(keystone.url, { username: 'alice', password: people.password, projectName: 'alpha' }) }
    bobReader = { kind: 'project', projectId: people.beta, authToken: await issueToken(keystone.url, { username: 'bob', password: people.password, projectName: 'beta' }) }
    manager = new BarbicanCertManager({
      serviceAuth: {
        auth_url: `${keystone.url}/v3`, username: 'octavia', password: people.password, user_domain_name: 'Default',
        project_name: 'service', project_domain_name: 'Default', cafile: '', insecure: false,
      },
      regionName: 'RegionOne', endpointType: 'publicURL', timeoutMs: 20_000,
    }, silentLogger())
    www = await tls.serverCertificate({ cn: 'www.example.com', dnsNames: ['www.example.com', 'example.com'] })
  })
  after(async () => {
    await manager?.close()
    await barbican?.dispose()
    await keystone?.dispose()
    await tls?.cleanup()
  })

  /** `openstack secret store` of `payload` as base64 octet-stream (Octavia's cookbook); returns the secret href. */
  const storeWithCli = async (name: string, payload: Buffer): Promise<string> => {
    const out = await alice.ok(['secret', 'store', '--name', name, '-t', 'application/octet-stream', '-e', 'base64', '--payload', payload.toString('base64'), '-f', 'value', '-c', 'Secret href'])
    return out.trim()
  }
  /** The same through Barbican's REST API with alice's token (the CLI takes seconds per call); returns the href. */
  const storeSecret = async (name: string, payload: Buffer): Promise<string> =>
    (await asAlice('POST', '/v1/secrets', { name, payload: payload.toString('base64'), payload_content_type: 'application/octet-stream', payload_content_encoding: 'base64' })).secret_ref
  const asAlice = async (method: string, path: string, body?: unknown): Promise<any> => {
    const res = await fetch(barbican!.url + path, {
      method, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(20_000),
      headers: { 'x-auth-token': (aliceReader as { authToken: string }).authToken, accept: 'application/json', 'content-type': 'application/json' },
    })
    const text = await res.text()
    assert.ok(res.ok, `${method} ${path}: HTTP ${res.status} ${text}`)
    return JSON.parse(text)
  }

  it('when alice stores a PKCS12 secret, then the service cannot read it until she grants access, and then reads the certificate', async () => {
    const ref = await storeWithCli('www', await tls!.pkcs12(www, { intermediates: [tls!.ca] }))
    assert.match(ref, /^http:\/\/127\.0\.0\.1:\d+\/v1\/secrets\/[0-9a-f-]{36}$/)
    await assert.rejects(manager.getCertificate(ref, service), (err) => err instanceof CertificateRetrievalError && err.ref === ref && /HTTP 403/.test(err.message))

    const readByAlice = await manager.getCertificate(ref, aliceReader)
    assert.equal(readByAlice.certificate, www.certPem)
    await manager.grantServiceAccess(ref, aliceReader)
    await manager.grantServiceAccess(ref, aliceReader)
    const cert = await manager.getCertificate(ref, service)
    assert.equal(cert.certificate, www.certPem)
    assert.deepEqual(cert.intermediates, [tls!.ca.certPem])
    assert.deepEqual(cert.hostNames, { cn: 'www.example.com', dnsNames: ['www.example.com', 'example.com'] })
    assert.ok(cert.privateKey && cert.privateKey.startsWith('-----BEGIN RSA PRIVATE KEY-----'))

    const acl = await asAlice('GET', `${new URL(ref).pathname}/acl`)
    assert.deepEqual(acl.read.users, [octaviaUserId], 'the service user is on the read ACL once')
    assert.equal(acl.read['project-access'], true)
  })

  it('when bob of another project reads alice\'s secret with his token, then it is CertificateRetrievalError', async () => {
    const ref = await storeSecret('private', await tls!.pkcs12(www))
    await assert.rejects(manager.getCertificate(ref, bobReader), CertificateRetrievalError)
    await assert.rejects(manager.grantServiceAccess(ref, bobReader), CertificateRetrievalError)
    await assert.rejects(manager.getCertificate(ref, service), CertificateRetrievalError)
  })

  it('when alice stores a client CA bundle, then getSecret returns its bytes after the grant', async () => {
    const bundle = Buffer.from(tls!.ca.certPem + tls!.otherCa.certPem)
    const ref = await storeSecret('client-ca', bundle)
    await assert.rejects(manager.getSecret(ref, service), CertificateRetrievalError)
    await manager.grantServiceAccess(ref, aliceReader)
    const payload = await manager.getSecret(ref, service)
    assert.deepEqual(payload, bundle)
    assert.deepEqual(caCertificatesFrom(payload), [tls!.ca.certPem, tls!.otherCa.certPem])
  })

  it('when a secret is no PKCS12 bundle, then getCertificate is CertificateDataError unreadable-pkcs12', async () => {
    const ref = await storeSecret('not-a-bundle', Buffer.from(tls!.ca.certPem))
    await assert.rejects(manager.getCertificate(ref, aliceReader), (err) => err instanceof CertificateDataError && err.problem === 'unreadable-pkcs12')
  })

  it('when alice stores a legacy certificate container, then the service reads its parts after the grant', async () => {
    const ec = await tls!.serverCertificate({ cn: 'legacy.example.com', keyType: 'ec' })
    const encryptedKey = await tls!.openssl(['ec', '-in', ec.keyPath, '-aes256', '-passout', 'pass:legacy-pass'])
    const parts = {
      certificate: await storeSecret('legacy-cert', Buffer.from(ec.certPem)),
      private_key: await storeSecret('legacy-key', encryptedKey),
      private_key_passphrase: await storeSecret('legacy-pass', Buffer.from('legacy-pass')),
      intermediates: await storeSecret('legacy-chain', Buffer.from(tls!.ca.certPem)),
    }
    const secretRefs = Object.entries(parts).map(([name, href]) => ({ name, secret_ref: href }))
    const ref = (await asAlice('POST', '/v1/containers', { name: 'legacy', type: 'certificate', secret_refs: secretRefs })).container_ref
    assert.match(ref, /\/v1\/containers\/[0-9a-f-]{36}$/)
    await assert.rejects(manager.getCertificate(ref, service), CertificateRetrievalError)
    await manager.grantServiceAccess(ref, aliceReader)
    const cert = await manager.getCertificate(ref, service)
    assert.equal(cert.certificate, ec.certPem)
    assert.deepEqual(cert.intermediates, [tls!.ca.certPem])
    assert.ok(cert.privateKey?.startsWith('-----BEGIN EC PRIVATE KEY-----'))
    await assert.rejects(manager.getSecret(ref, service), CertificateRetrievalError)
  })

  it('when the ref is unknown or no Barbican ref, then it is CertificateRetrievalError', async () => {
    const unknown = `${barbican!.url}/v1/secrets/${randomUUID()}`
    await assert.rejects(manager.getCertificate(unknown, aliceReader), (err) => err instanceof CertificateRetrievalError && /HTTP 404/.test(err.message))
    await assert.rejects(manager.getSecret(unknown, service), CertificateRetrievalError)
    await assert.rejects(manager.grantServiceAccess(unknown, aliceReader), CertificateRetrievalError)
    await assert.rejects(manager.getCertificate('not-a-reference', service), CertificateRetrievalError)
  })
})

/** Projects alpha and beta with members alice and bob, and the Octavia service user (project service, role admin). */
async function createPeople(admin: KeystoneAdmin): Promise<{ alpha: string; beta: string; octaviaUserId: string; password: string }> {
  const password = `pw-${randomUUID()}`
  const [service, alpha, beta] = [await admin.createProject('service'), await admin.createProject('alpha'), await admin.createProject('beta')]
  const octaviaUserId = await admin.createUser('octavia', password, service)
  await admin.grant(service, octaviaUserId, 'admin')
  // NOTE: Barbican 15 keeps its legacy policy (enforce_new_defaults = False): storing a secret needs `creator`.
  const [aliceId, bobId] = [await admin.createUser('alice', password, alpha), await admin.createUser('bob', password, beta)]
  for (const role of ['member', 'creator']) {
    await admin.grant(alpha, aliceId, role)
    await admin.grant(beta, bobId, role)
  }
  return { alpha, beta, octaviaUserId, password }
}

