import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { connect } from 'node:tls'
import { after, before, describe, it } from 'node:test'
import { startAmphoraStack, type AmphoraStack, type StackMode } from './support/amphora-stack.js'
import { clientGet, waitAnswer } from './support/dataplane-backends.js'
import {
  curlHttps, httpsGet, startEchoBackend, tlsHandshake, type EchoBackend, type EchoBody,
} from './support/tls-backends.js'
import { curl as curlRun } from './support/tls-scenario.js'
import { MemoryCertificateManager } from '../support/memory-certificate-manager.js'
import { createTlsFixtures, type FixtureCertificate, type TlsFixtures } from '../support/tls-fixtures.js'

// TLS on the amphora, driven through the API and the worker with real
// HAProxy, openssl-made certificates in the in-memory certificate manager,
// and real clients (node's TLS, curl): termination with SNI, versions, ALPN,
// HSTS and client authentication with a CRL; the X-SSL-* headers at the
// member; re-encryption towards an HTTPS member, verified against the right
// CA and refused with another; HTTPS health monitors; the amphora's key files;
// a certificate change under an open connection.
// Network namespaces as root, loopback addresses otherwise.

const modes: StackMode[] = (process.env.OCTAVIA_E2E_MODES?.split(',') as StackMode[] | undefined)
  ?? (process.geteuid?.() === 0 ? ['netns'] : ['loopback'])
const PORTS = { sni: 10443, mutual: 10444, reencrypt: 10080, wrongCa: 10081, plainChecked: 10082, redirect: 10083 } as const
const monitor = { type: 'HTTPS', delay: 1, timeout: 1, max_retries: 1, max_retries_down: 1, url_path: '/' }

/** `openssl s_client … </dev/null`: its stdout (the handshake's report), or throws with its stderr. */
function opensslClient(args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile('openssl', ['s_client', ...args], { timeout: 10_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`openssl s_client failed: ${stderr}`))
      else resolve(stdout)
    })
    child.stdin?.on('error', () => undefined)
    child.stdin?.end()
  })
}

for (const mode of modes) {
  describe(`TLS data plane, ${mode} mode`, () => {
    let tls: TlsFixtures
    let stack: AmphoraStack
    const certs = new MemoryCertificateManager()
    const backends: EchoBackend[] = []
    let plain: EchoBackend
    let secure: EchoBackend
    let lbId = ''
    let vip = ''
    let alice: FixtureCertificate
    let mallory: FixtureCertificate
    const refs: Record<string, string> = {}
    const listenerIds: Record<string, string> = {}
    const poolMembers: Record<string, string> = {}

    before(async () => {
      tls = await createTlsFixtures()
      stack = await startAmphoraStack({ mode, certificates: certs })
      const project = stack.config.api_settings.default_project_id
      const p12 = async (c: FixtureCertificate): Promise<string> => certs.put(certs.newRef(), { pkcs12: await tls.pkcs12(c) }, project)
      refs.www = await p12(await tls.serverCertificate({ cn: 'www.example.com', dnsNames: ['www.example.com'] }))
      refs.api = await p12(await tls.serverCertificate({ cn: 'api.example.com', dnsNames: ['api.example.com'], keyType: 'ec' }))
      refs.wild = await p12(await tls.serverCertificate({ cn: '*.wild.example.com', dnsNames: ['*.wild.example.com'], keyType: 'ec' }))
      refs.rotated = await p12(await tls.serverCertificate({ cn: 'rotated.example.com', dnsNames: ['rotated.example.com'], keyType: 'ec' }))
      alice = await tls.clientCertificate('alice', { keyType: 'ec' })
      mallory = await tls.clientCertificate('mallory', { keyType: 'ec' })
      refs.ca = certs.put(certs.newRef(), { secret: tls.ca.certPem }, project)
      refs.otherCa = certs.put(certs.newRef(), { secret: tls.otherCa.certPem }, project)
      refs.crl = certs.put(certs.newRef(), { secret: (await tls.crl([mallory])).pem }, project)
      const member = await tls.serverCertificate({ cn: 'member.example.com', dnsNames: ['member.example.com'], keyType: 'ec' })
      plain = await startEchoBackend('plain', stack.backendHost)
      secure = await startEchoBackend('secure', stack.backendHost, { cert: member.certPem, key: member.keyPem })
      backends.push(plain, secure)
      lbId = await createLoadBalancer()
      await waitAnswer(vip, PORTS.reencrypt)
    })
    after(async () => {
      if (lbId && stack) {
        await stack.request('DELETE', `/v2/lbaas/loadbalancers/${lbId}?cascade=true`).catch(() => undefined)
        await stack.waitUntil(`/v2/lbaas/loadbalancers/${lbId}`, (b) => b?.loadbalancer === undefined, 30000).catch(() => undefined)
      }
      for (const b of backends) await b.close()
      await stack?.close()
      await tls?.cleanup()
    })

    const to = (b: EchoBackend) => [{ name: b.name, address: b.host, protocol_port: b.port, subnet_id: stack.subnetId }]
    async function createLoadBalancer(): Promise<string> {
      const pool = (name: string, extra: object = {}, member = plain) => ({ name, protocol: 'HTTP', lb_algorithm: 'ROUND_ROBIN', members: to(member), ...extra })
      const r = await stack.request('POST', '/v2/lbaas/loadbalancers', {
        loadbalancer: {
          name: 'dataplane-tls', vip_subnet_id: stack.subnetId,
          listeners: [
            {
              name: 'sni', protocol: 'TERMINATED_HTTPS', protocol_port: PORTS.sni, default_tls_container_ref: refs.www,
              sni_container_refs: [refs.api, refs.wild], tls_versions: ['TLSv1.2'], alpn_protocols: ['h2', 'http/1.1'],
              hsts_max_age: 31536000, hsts_include_subdomains: true, insert_headers: { 'X-Forwarded-Proto': 'true' },
              default_pool: pool('sni-pool'),
            },
            {
              name: 'mutual', protocol: 'TERMINATED_HTTPS', protocol_port: PORTS.mutual, default_tls_container_ref: refs.www,
              client_authentication: 'MANDATORY', client_ca_tls_container_ref: refs.ca, client_crl_container_ref: refs.crl,
              insert_headers: Object.fromEntries(['X-SSL-Client-Verify', 'X-SSL-Client-Has-Cert', 'X-SSL-Client-DN', 'X-SSL-Client-CN',
                'X-SSL-Issuer', 'X-SSL-Client-SHA1', 'X-SSL-Client-Not-Before', 'X-SSL-Client-Not-After'].map((h) => [h, 'true'])),
              default_pool: pool('mutual-pool'),
            },
            { name: 'reencrypt', protocol: 'HTTP', protocol_port: PORTS.reencrypt, default_pool: pool('reencrypt-pool', { tls_enabled: true, ca_tls_container_ref: refs.ca, healthmonitor: monitor }, secure) },
            { name: 'wrong-ca', protocol: 'HTTP', protocol_port: PORTS.wrongCa, default_pool: pool('wrong-ca-pool', { tls_enabled: true, ca_tls_container_ref: refs.otherCa, healthmonitor: monitor }, secure) },
            { name: 'plain-checked', protocol: 'HTTP', protocol_port: PORTS.plainChecked, default_pool: pool('plain-checked-pool', { healthmonitor: monitor }) },
            // Octavia's cookbook: HTTP on one port redirects every request to the HTTPS listener.
            {
              name: 'redirect', protocol: 'HTTP', protocol_port: PORTS.redirect,
              l7policies: [{ action: 'REDIRECT_PREFIX', redirect_prefix: `https://www.example.com:${PORTS.sni}`, rules: [{ type: 'PATH', compare_type: 'STARTS_WITH', value: '/' }] }],
            },
          ],
        },
      })
      assert.equal(r.status, 201, JSON.stringify(r.body))
      vip = r.body.loadbalancer.vip_address
      const lb = await stack.waitStatus(`/v2/lbaas/loadbalancers/${r.body.loadbalancer.id}`, 'ACTIVE', 60000)
      for (const l of (await stack.request('GET', `/v2/lbaas/listeners?loadbalancer_id=${lb.id}`)).body.listeners) listenerIds[l.name] = l.id
      for (const p of (await stack.request('GET', `/v2/lbaas/pools?loadbalancer_id=${lb.id}`)).body.pools) {
        poolMembers[p.name] = `/v2/lbaas/pools/${p.id}/members/${(await stack.request('GET', `/v2/lbaas/pools/${p.id}/members`)).body.members[0].id}`
      }
      return lb.id
    }

    it('when a client names a host, then SNI picks its certificate (wildcards too), and the default one for an unknown name or none', async () => {
      assert.equal((await tlsHandshake(vip, PORTS.sni, { servername: 'www.example.com' })).cn, 'www.example.com')
      assert.equal((await tlsHandshake(vip, PORTS.sni, { servername: 'api.example.com' })).cn, 'api.example.com')
      assert.equal((await tlsHandshake(vip, PORTS.sni, { servername: 'x.wild.example.com' })).cn, '*.wild.example.com')
      assert.equal((await tlsHandshake(vip, PORTS.sni, { servername: 'unknown.example.net' })).cn, 'www.example.com')
      assert.equal((await tlsHandshake(vip, PORTS.sni)).cn, 'www.example.com')
      // The same with openssl's own client, verified against the test CA.
      const s = await opensslClient(['-connect', `${vip}:${PORTS.sni}`, '-servername', 'api.example.com', '-CAfile', tls.ca.certPath, '-verify_return_error'])
      assert.match(s, /subject=CN ?= ?api\.example\.com/)
      assert.match(s, /Verify return code: 0 \(ok\)/)
      const r = await httpsGet(vip, PORTS.sni, { servername: 'api.example.com', ca: tls.ca.certPem })
      assert.equal(r.status, 200)
      assert.equal((JSON.parse(r.body) as EchoBody).headers['x-forwarded-proto'], 'https')
    })

    it('when a client offers other TLS versions than the listener allows, then only the allowed one handshakes', async () => {
      assert.equal((await tlsHandshake(vip, PORTS.sni, { servername: 'www.example.com', maxVersion: 'TLSv1.2' })).protocol, 'TLSv1.2')
      await assert.rejects(tlsHandshake(vip, PORTS.sni, { servername: 'www.example.com', minVersion: 'TLSv1.3' }))
    })

    it('when curl asks for HTTP/2, then ALPN negotiates h2 and the answer carries the HSTS header', async () => {
      const caFile = tls.ca.certPath
      const r = await curlHttps(vip, PORTS.sni, 'www.example.com', caFile, ['--http2'])
      assert.equal(r.version, '2')
      assert.match(r.headers, /^strict-transport-security: max-age=31536000; includeSubDomains;\r?$/im)
      assert.equal((await tlsHandshake(vip, PORTS.sni, { servername: 'www.example.com', alpn: ['h2'] })).alpn, 'h2')
    })

    it('when client authentication is MANDATORY, then no certificate and a revoked one are refused, one issued by the CA reaches the member with the X-SSL headers', async () => {
      await assert.rejects(httpsGet(vip, PORTS.mutual, { servername: 'www.example.com', ca: tls.ca.certPem }), /certificate required/)
      await assert.rejects(httpsGet(vip, PORTS.mutual, { servername: 'www.example.com', ca: tls.ca.certPem, cert: mallory.certPem, key: mallory.keyPem }), /certificate revoked/)
      const r = await httpsGet(vip, PORTS.mutual, { servername: 'www.example.com', ca: tls.ca.certPem, cert: alice.certPem, key: alice.keyPem })
      assert.equal(r.status, 200)
      const h = (JSON.parse(r.body) as EchoBody).headers
      assert.equal(h['x-ssl-client-verify'], '0')
      assert.equal(h['x-ssl-client-has-cert'], '1')
      assert.match(String(h['x-ssl-client-cn']), /alice/)
      assert.match(String(h['x-ssl-client-dn']), /CN=alice/)
      assert.match(String(h['x-ssl-issuer']), /CN=Octavia Test CA/)
      assert.match(String(h['x-ssl-client-sha1']), /[0-9A-F]{40}/)
      assert.ok(h['x-ssl-client-not-before'] && h['x-ssl-client-not-after'])
    })

    it('when a pool re-encrypts, then the HTTPS member signed by its CA answers and is ONLINE; against another CA it is ERROR and clients get 503', async () => {
      const good = await clientGet(vip, PORTS.reencrypt, '/')
      assert.equal(good.status, 200)
      assert.equal((JSON.parse(good.body) as EchoBody).name, 'secure')
      await stack.waitUntil(poolMembers['reencrypt-pool'] ?? '', (b) => b.member?.operating_status === 'ONLINE', 20000)
      await stack.waitUntil(poolMembers['wrong-ca-pool'] ?? '', (b) => b.member?.operating_status === 'ERROR', 20000)
      assert.equal((await clientGet(vip, PORTS.wrongCa, '/')).status, 503)
    })

    it('when an HTTPS health monitor checks a plain HTTP member, then the member is ERROR', async () => {
      await stack.waitUntil(poolMembers['plain-checked-pool'] ?? '', (b) => b.member?.operating_status === 'ERROR', 20000)
      assert.equal((await clientGet(vip, PORTS.plainChecked, '/')).status, 503)
    })

    it('when an HTTP listener redirects with REDIRECT_PREFIX to the HTTPS one, then curl follows it to the member over TLS', async () => {
      const r = await curlRun(['-sS', '--max-time', '5', '-o', '/dev/null', '-w', '%{http_code} %{redirect_url}', `http://${vip}:${PORTS.redirect}/a/b?c=1`])
      assert.equal(r.stdout, `302 https://www.example.com:${PORTS.sni}/a/b?c=1`, r.stderr)
      const followed = await curlRun(['-sS', '--max-time', '5', '-L', '--cacert', tls.ca.certPath, '--resolve', `www.example.com:${PORTS.sni}:${vip}`,
        '-o', '/dev/null', '-w', '%{http_code} %{scheme}', `http://${vip}:${PORTS.redirect}/a`])
      assert.equal(followed.stdout, '200 HTTPS', followed.stderr)
    })

    it('when the amphora holds the TLS files, then each is mode 0600 in a 0700 directory', async () => {
      const amp = (await stack.database.db.selectFrom('amphora').select('id').where('load_balancer_id', '=', lbId).executeTakeFirstOrThrow()).id
      const dir = join(stack.agentBase, amp, lbId, 'certs')
      assert.equal((await stat(dir)).mode & 0o777, 0o700)
      const files = await readdir(dir)
      assert.equal(files.length, 6, 'the www, api, wild certificates, the two CAs and the CRL')
      for (const f of files) assert.equal((await stat(join(dir, f))).mode & 0o777, 0o600, f)
    })

    it('when the listener certificate changes during a request, then that connection completes and new ones get the new certificate', async () => {
      const socket = connect({ host: vip, port: PORTS.sni, servername: 'www.example.com', ca: tls.ca.certPem })
      await new Promise<void>((resolve, reject) => socket.once('secureConnect', resolve).once('error', reject))
      let answer = ''
      socket.setEncoding('utf8').on('data', (d: string) => { answer += d })
      socket.write('GET /hold HTTP/1.1\r\nHost: www.example.com\r\n\r\n')
      const deadline = Date.now() + 5000
      while (plain.holding() === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
      assert.equal(plain.holding(), 1, 'the request is held by the member')
      const r = await stack.request('PUT', `/v2/lbaas/listeners/${listenerIds.sni}`, { listener: { default_tls_container_ref: refs.rotated } })
      assert.equal(r.status, 200, JSON.stringify(r.body))
      await stack.waitStatus(`/v2/lbaas/loadbalancers/${lbId}`, 'ACTIVE', 30000)
      assert.equal((await tlsHandshake(vip, PORTS.sni, { servername: 'unknown.example.net' })).cn, 'rotated.example.com')
      plain.release()
      const until = Date.now() + 5000
      while (!answer.includes('"name":"plain"') && Date.now() < until) await new Promise((res) => setTimeout(res, 20))
      socket.destroy()
      assert.match(answer, /^HTTP\/1\.1 200/)
    })

    it('when a reference can no longer be read at sync time, then the job fails naming it without secrets, the listener is ERROR and the last config keeps serving', async () => {
      certs.remove(refs.rotated)
      const r = await stack.request('PUT', `/v2/lbaas/listeners/${listenerIds.sni}`, { listener: { name: 'sni-renamed' } })
      assert.equal(r.status, 200, JSON.stringify(r.body))
      await stack.waitUntil(`/v2/lbaas/listeners/${listenerIds.sni}`, (b) => b.listener?.provisioning_status === 'ERROR', 30000)
      const job = await stack.database.db.selectFrom('job').select(['state', 'error']).where('operation', '=', 'listener_update')
        .orderBy('created_at', 'desc').executeTakeFirstOrThrow()
      assert.equal(job.state, 'FAILED')
      assert.ok(job.error?.includes(`could not retrieve certificate: [${refs.rotated}]`), job.error ?? '')
      assert.ok(!job.error?.includes('-----BEGIN'))
      assert.equal((await tlsHandshake(vip, PORTS.sni, { servername: 'unknown.example.net' })).cn, 'rotated.example.com')
    })
  })
}
