import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { certificateFileName } from '../../amphora-api/certificate-files.js'
import { TerminalError } from '../../common/errors.js'
import { silentLogger } from '../../common/logging.js'
import type { AmphoraRow } from '../../db/schema.js'
import type { AmphoraFlowDeps } from '../amphora-flow-deps.js'
import { syncAmphora, type SyncContext } from './amphora-config-sync.js'
import { GOLDEN_OPTIONS, listener, listenerTls, loadBalancer, pool } from '../../../test/golden/haproxy/view-builders.js'
import { FakeAmphoraAgent } from '../../../test/support/fake-amphora-agent.js'
import { MemoryCertificateManager } from '../../../test/support/memory-certificate-manager.js'
import { createTlsFixtures, type TlsFixtures } from '../../../test/support/tls-fixtures.js'
import { readTlsMaterial, tlsFilesOn } from './tls-material.js'

const PROJECT = 'p1'
let tls: TlsFixtures
let certs: MemoryCertificateManager
const refs = { www: '', noKey: '', ca: '', crl: '', otherCrl: '', client: '' }

before(async () => {
  tls = await createTlsFixtures()
  certs = new MemoryCertificateManager()
  const www = await tls.serverCertificate({ cn: 'www.example.com', keyType: 'ec' })
  const alice = await tls.clientCertificate('alice', { keyType: 'ec' })
  refs.www = certs.put(certs.newRef(), { pkcs12: await tls.pkcs12(www) }, PROJECT)
  refs.noKey = certs.put(certs.newRef('containers'), { parts: { certificate: www.certPem } }, PROJECT)
  refs.ca = certs.put(certs.newRef(), { secret: tls.ca.certPem }, PROJECT)
  refs.crl = certs.put(certs.newRef(), { secret: (await tls.crl([alice])).pem }, PROJECT)
  refs.otherCrl = certs.put(certs.newRef(), { secret: (await tls.crl([], tls.otherCa)).pem }, PROJECT)
  refs.client = certs.put(certs.newRef(), { pkcs12: await tls.pkcs12(alice) }, PROJECT)
})
after(async () => { await tls?.cleanup() })

const https = (o: Parameters<typeof listenerTls>[0], extra: Parameters<typeof listener>[1] = {}) =>
  listener(1, { protocol: 'TERMINATED_HTTPS', protocolPort: 443, tls: listenerTls(o), ...extra })
const terminal = (pattern: RegExp) => (e: unknown) =>
  e instanceof TerminalError && pattern.test(e.message) && !e.message.includes('-----BEGIN')

describe('TLS material of a load balancer', () => {
  it('when listeners and pools use references, then each rendered one is read once as the service; disabled ones are not read', async () => {
    const lb = loadBalancer({
      listeners: [
        https({ certificateRef: refs.www, sniRefs: [refs.www], clientCaRef: refs.ca, clientCrlRef: refs.crl, clientAuthentication: 'MANDATORY' }),
        listener(2, { protocol: 'TERMINATED_HTTPS', protocolPort: 444, enabled: false, tls: listenerTls({ certificateRef: 'http://unknown.invalid/x' }) }),
      ],
      pools: [pool(1, { tlsEnabled: true, tlsCertificateId: refs.client, caTlsCertificateId: refs.ca })],
    })
    const m = await readTlsMaterial(certs, lb)
    assert.deepEqual([...m.certificates.keys()].sort(), [refs.client, refs.www].sort())
    assert.deepEqual([...m.secrets.keys()].sort(), [refs.ca, refs.crl].sort())
    const www = m.certificates.get(refs.www) ?? ''
    assert.match(www, /^-----BEGIN CERTIFICATE-----\n[\s\S]*-----BEGIN (EC |RSA )?PRIVATE KEY-----\n[\s\S]*\n$/)
    assert.match(m.secrets.get(refs.crl) ?? '', /^-----BEGIN X509 CRL-----/)
    assert.equal(certs.grants.length, 0, 'reading grants nothing')
  })

  it('when the material is placed on an amphora, then files are named by their sha-256, once each, and mapped by reference', async () => {
    const m = await readTlsMaterial(certs, loadBalancer({ listeners: [https({ certificateRef: refs.www, clientCaRef: refs.ca })] }))
    const { uploads, files } = tlsFilesOn(m, (name) => `/certs/${name}`)
    const pem = m.certificates.get(refs.www) ?? ''
    assert.equal(files.certificates.get(refs.www), `/certs/${certificateFileName(pem)}`)
    assert.equal(files.secrets.get(refs.ca), `/certs/${certificateFileName(tls.ca.certPem)}`)
    assert.deepEqual(uploads.map((u) => u.name).sort(), [certificateFileName(pem), certificateFileName(tls.ca.certPem)].sort())
  })

  it('when a reference is unknown, keyless or its CRL is not signed by its CA, then TerminalError names it without secret bytes', async () => {
    await assert.rejects(readTlsMaterial(certs, loadBalancer({ listeners: [https({ certificateRef: 'http://barbican.invalid/v1/secrets/gone' })] })),
      terminal(/could not retrieve certificate: \[http:\/\/barbican\.invalid\/v1\/secrets\/gone\]/))
    await assert.rejects(readTlsMaterial(certs, loadBalancer({ listeners: [https({ certificateRef: refs.noKey })] })),
      terminal(new RegExp(`certificate \\[${refs.noKey}\\] has no private key`)))
    await assert.rejects(readTlsMaterial(certs, loadBalancer({ listeners: [https({ certificateRef: refs.www, clientCaRef: refs.ca, clientCrlRef: refs.otherCrl })] })),
      terminal(new RegExp(`secret \\[${refs.otherCrl}\\] is unusable`)))
    await assert.rejects(readTlsMaterial(certs, loadBalancer({ listeners: [https({ certificateRef: refs.www, clientCaRef: refs.www })] })),
      terminal(/is unusable/), 'a PKCS12 payload is no CA bundle')
  })

  it('when an amphora is synced, then its files are uploaded before the config that names them, and a new certificate reloads', async () => {
    const agent = new FakeAmphoraAgent()
    const d = {
      agent, certificates: certs, agentEndpoint: { host: '127.0.0.1' },
      renderOptions: () => GOLDEN_OPTIONS,
      certificateFilePath: (a: string, l: string, name: string) => `/base/${a}/${l}/certs/${name}`,
    } as unknown as AmphoraFlowDeps
    const ctx: SyncContext = { db: null as never, log: silentLogger(), signal: new AbortController().signal }
    const amp = { id: 'amp-1', lb_network_ip: null } as AmphoraRow
    const lb = loadBalancer({ listeners: [https({ certificateRef: refs.www })] })
    assert.equal(await syncAmphora(d, ctx, lb, amp), 'reloaded')
    const order = agent.calls.filter((c) => /^(uploadCertificates|uploadConfig|action)/.test(c))
    assert.deepEqual(order.map((c) => c.split(' ')[0]), ['uploadCertificates', 'uploadConfig', 'action'])
    const [file] = agent.haproxy('amp-1', lb.id)?.certificateFiles ?? []
    assert.ok(agent.haproxy('amp-1', lb.id)?.config?.includes(`ssl crt /base/amp-1/${lb.id}/certs/${file}`))

    const other = certs.put(certs.newRef(), { pkcs12: await tls.pkcs12(await tls.serverCertificate({ cn: 'new.example.com', keyType: 'ec' })) }, PROJECT)
    assert.equal(await syncAmphora(d, ctx, loadBalancer({ listeners: [https({ certificateRef: other })] }), amp), 'reloaded')
    assert.equal(agent.haproxy('amp-1', lb.id)?.certificateFiles.length, 2)
    assert.equal(agent.haproxy('amp-1', lb.id)?.reloads, 1)
  })
})
