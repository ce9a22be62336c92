/**
 * Injection suite: hostile strings in every user field that could reach the
 * configuration. For each field and payload the renderer must either throw
 * RenderError or produce a file that (1) HAProxy reads as exactly the same
 * lines and words as a render with a harmless marker, except that the
 * marker's word now carries the payload verbatim, and (2) passes
 * `haproxy -dW -c`. Free text (names, descriptions, tags) must not change
 * the output at all.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { LoadBalancerView } from '../../../model/load-balancer-view.js'
import { renderHaproxyConfig } from './render-haproxy-config.js'
import { logText } from './log-format.js'
import { RenderError } from './render-error.js'
import {
  GOLDEN_OPTIONS, healthMonitor, id, listener, listenerTls, loadBalancer, member, policy, pool, rule, tlsFiles,
} from '../../../../test/golden/haproxy/view-builders.js'
import type { TlsFiles } from './tls-files.js'
import { tokenizeConfig } from '../../../../test/golden/haproxy/haproxy-tokenizer.js'
import { haproxyCheckAll, haproxyMissing } from '../../../../test/golden/haproxy/haproxy-binary.js'

const MARK = 'HARMLESS'

const PAYLOADS = [
  'x\n    http-request deny',
  '" if TRUE\nlisten evil\n    bind :1',
  "' if TRUE\nlisten evil",
  'x\r\nfrontend evil',
  '# comment', 'a #b', ' leading', 'trailing ', 'x\ty',
  'a\\', '\\', '\\n', '\\x0a', '\\"',
  '-f /etc/passwd', '-m reg .*', '--',
  'a) || TRUE || req.hdr(b', 'a,b', '}',
  '$HOME ${HOME} "$HOME"', '%[src] %{+Q}r %%',
  '\u2028\u0085é', 'a\0b',
  'server evil 127.0.0.1:1 weight 100',
  '/ok/../path?q=1&r=2', "k'#",
]

/** A field a user controls: how to build a view with a value in it. */
interface Field {
  readonly name: string
  readonly build: (value: string) => LoadBalancerView
  /** How the value appears (in place of the marker) in its decoded word; null: never rendered. */
  readonly appears: ((value: string) => string) | null
  /** A valid harmless value for the baseline render (default MARK). */
  readonly marker?: string
  /**
   * Why `haproxy -c` may refuse a value that is well formed (then only the
   * words are compared): e.g. OpenSSL decides which cipher names exist.
   */
  readonly haproxyMayRefuse?: string
  /** Where the view's TLS references lie, when the value is such a path. */
  readonly files?: (value: string) => TlsFiles
}

const l7 = (r: Parameters<typeof rule>[1], action: Parameters<typeof policy>[1] = {}): LoadBalancerView =>
  loadBalancer({ listeners: [listener(1, { l7Policies: [policy(1, { action: 'REJECT', ...action, rules: [rule(1, r)] })] })] })
const hmLb = (o: Parameters<typeof healthMonitor>[1]): LoadBalancerView =>
  loadBalancer({ pools: [pool(1, { healthMonitor: healthMonitor(1, { type: 'HTTP', httpVersion: 1.1, ...o }) })] })
const verbatim = (v: string): string => v
const CIPHER_NAMES = 'a well-formed cipher list may name no cipher OpenSSL knows'
const CERT_REF = 'https://keys.example/v1/secrets/c'
const CA_REF = 'https://keys.example/v1/secrets/ca'
const https = (tls: Parameters<typeof listenerTls>[0] = {}): LoadBalancerView =>
  loadBalancer({ listeners: [listener(1, { protocol: 'TERMINATED_HTTPS', protocolPort: 443, tls: listenerTls({ certificateRef: CERT_REF, ...tls }) })] })
const certPath = (v: string): string => `/var/lib/certs/${v}.pem`
const reencrypting = (o: Parameters<typeof pool>[1] = {}): LoadBalancerView => loadBalancer({ pools: [pool(1, { tlsEnabled: true, ...o })] })
/** A fetch argument after the tokenizer: the argument parser's own `\'` remains. */
const argument = (v: string): string => v.replaceAll("'", "\\'")

const FREE_TEXT: Field[] = [
  { name: 'load balancer name', build: (v) => loadBalancer({ name: v }), appears: null },
  { name: 'load balancer description', build: (v) => loadBalancer({ description: v }), appears: null },
  { name: 'load balancer tags', build: (v) => loadBalancer({ tags: [v] }), appears: null },
  { name: 'listener name, description and tags', build: (v) => loadBalancer({ listeners: [listener(1, { name: v, description: v, tags: [v] })] }), appears: null },
  { name: 'pool name, description and tags', build: (v) => loadBalancer({ pools: [pool(1, { name: v, description: v, tags: [v] })] }), appears: null },
  { name: 'member name and tags', build: (v) => loadBalancer({ pools: [pool(1, { members: [member(1, { name: v, tags: [v] })] })] }), appears: null },
  { name: 'health monitor name', build: (v) => hmLb({ name: v }), appears: null },
  { name: 'l7 policy name, description and tags', build: (v) => l7({}, { name: v, description: v, tags: [v] }), appears: null },
  { name: 'l7 rule tags', build: (v) => l7({ tags: [v] }), appears: null },
]

const VALUES: Field[] = [
  { name: 'PATH rule value', build: (v) => l7({ type: 'PATH', compareType: 'EQUAL_TO', value: v }), appears: verbatim },
  { name: 'HOST_NAME rule value', build: (v) => l7({ type: 'HOST_NAME', compareType: 'STARTS_WITH', value: v }), appears: verbatim },
  { name: 'FILE_TYPE rule value', build: (v) => l7({ type: 'FILE_TYPE', compareType: 'EQUAL_TO', value: v }), appears: verbatim },
  { name: 'HEADER rule value', build: (v) => l7({ type: 'HEADER', compareType: 'CONTAINS', key: 'X-H', value: v }), appears: verbatim },
  { name: 'COOKIE rule value', build: (v) => l7({ type: 'COOKIE', compareType: 'ENDS_WITH', key: 'c', value: v }), appears: verbatim },
  { name: 'SSL_DN_FIELD rule value', build: (v) => l7({ type: 'SSL_DN_FIELD', compareType: 'EQUAL_TO', key: 'CN', value: v }), appears: verbatim },
  { name: 'HEADER rule key', build: (v) => l7({ type: 'HEADER', compareType: 'EQUAL_TO', key: v, value: 'x' }), appears: argument },
  { name: 'COOKIE rule key', build: (v) => l7({ type: 'COOKIE', compareType: 'EQUAL_TO', key: v, value: 'x' }), appears: argument },
  { name: 'SSL_DN_FIELD rule key', build: (v) => l7({ type: 'SSL_DN_FIELD', compareType: 'EQUAL_TO', key: v, value: 'x' }), appears: argument },
  { name: 'SSL_VERIFY_RESULT rule value', build: (v) => l7({ type: 'SSL_VERIFY_RESULT', compareType: 'EQUAL_TO', value: v }), appears: verbatim, marker: '424242' },
  { name: 'redirect URL', build: (v) => l7({}, { action: 'REDIRECT_TO_URL', redirectUrl: `https://e.example/${v}` }), appears: verbatim },
  { name: 'redirect prefix', build: (v) => l7({}, { action: 'REDIRECT_PREFIX', redirectPrefix: `https://e.example/${v}` }), appears: verbatim },
  { name: 'health monitor url_path', build: (v) => hmLb({ urlPath: `/${v}` }), appears: verbatim },
  { name: 'health monitor domain_name', build: (v) => hmLb({ domainName: `${v}.example.com` }), appears: verbatim },
  { name: 'health monitor http_method', build: (v) => hmLb({ httpMethod: v }), appears: verbatim, marker: 'OPTIONS' },
  { name: 'health monitor expected_codes', build: (v) => hmLb({ expectedCodes: v }), appears: verbatim, marker: '299' },
  { name: 'APP_COOKIE cookie name', build: (v) => loadBalancer({ pools: [pool(1, { sessionPersistence: { type: 'APP_COOKIE', cookieName: v, persistenceTimeout: null, persistenceGranularity: null } })] }), appears: argument },
  { name: 'project id (log format)', build: (v) => loadBalancer({ projectId: v }), appears: logText },
  { name: 'allowed CIDR', build: (v) => loadBalancer({ listeners: [listener(1, { allowedCidrs: [v] })] }), appears: verbatim, marker: '192.0.2.0/27' },
  { name: 'member address', build: (v) => loadBalancer({ pools: [pool(1, { members: [member(1, { address: v })] })] }), appears: verbatim, marker: '192.0.2.99' },
  { name: 'l7 rule id', build: (v) => l7({ id: v }), appears: verbatim },
  { name: 'pool id', build: (v) => loadBalancer({ listeners: [listener(1, { defaultPoolId: v })], pools: [pool(1, { id: v })] }), appears: verbatim },
  { name: 'listener certificate file path', build: () => https(), files: (v) => tlsFiles({ [CERT_REF]: certPath(v) }), appears: verbatim },
  { name: 'listener SNI certificate file path', build: () => https({ sniRefs: ['sni'] }), files: (v) => tlsFiles({ [CERT_REF]: certPath('d'), sni: certPath(v) }), appears: verbatim },
  { name: 'listener client CA file path', build: () => https({ clientCaRef: CA_REF, clientAuthentication: 'MANDATORY' }), files: (v) => tlsFiles({ [CERT_REF]: certPath('d') }, { [CA_REF]: certPath(v) }), appears: verbatim },
  { name: 'listener tls_ciphers', build: (v) => https({ ciphers: v }), files: () => tlsFiles({ [CERT_REF]: certPath('d') }), appears: verbatim, marker: 'HIGH', haproxyMayRefuse: CIPHER_NAMES },
  { name: 'listener tls_versions', build: (v) => https({ versions: ['TLSv1.2', v] }), files: () => tlsFiles({ [CERT_REF]: certPath('d') }), appears: () => 'no-tlsv13', marker: 'TLSv1.1' },
  { name: 'listener alpn_protocols', build: (v) => https({ alpnProtocols: [v] }), files: () => tlsFiles({ [CERT_REF]: certPath('d') }), appears: verbatim, marker: 'h2' },
  { name: 'pool client certificate file path', build: () => reencrypting({ tlsCertificateId: CERT_REF }), files: (v) => tlsFiles({ [CERT_REF]: certPath(v) }), appears: verbatim },
  { name: 'pool CRL file path', build: () => reencrypting({ caTlsCertificateId: CA_REF, crlContainerId: 'crl' }), files: (v) => tlsFiles({}, { [CA_REF]: certPath('ca'), crl: certPath(v) }), appears: verbatim },
  { name: 'pool tls_ciphers', build: (v) => reencrypting({ tlsCiphers: v }), appears: verbatim, marker: 'HIGH', haproxyMayRefuse: CIPHER_NAMES },
]

/** Renders, or returns the RenderError; any other error fails the test. */
function tryRender(lb: LoadBalancerView, files?: TlsFiles): string | RenderError {
  try {
    return renderHaproxyConfig(lb, GOLDEN_OPTIONS, files)
  } catch (e) {
    if (e instanceof RenderError) return e
    throw e
  }
}

/**
 * Compares what HAProxy reads: same lines, same words, except that words
 * holding the marker now hold the payload (as `appears` says).
 */
function assertOnlyValueChanged(baseline: string, marker: string, text: string, expected: string, what: string): void {
  const base = tokenizeConfig(baseline)
  const got = tokenizeConfig(text)
  assert.equal(got.length, base.length, `${what}: line count changed`)
  base.forEach((words, i) => {
    const want = words.map((w) => (w.includes(marker) ? w.replace(marker, () => expected) : w))
    assert.deepEqual(got[i], want, `${what}: line ${i + 1} differs`)
  })
}

for (const field of FREE_TEXT) {
  test(`when the ${field.name} hold hostile strings, then the output does not change`, () => {
    const baseline = tryRender(field.build(MARK))
    assert.equal(typeof baseline, 'string')
    for (const p of PAYLOADS) assert.equal(tryRender(field.build(p)), baseline, `payload ${JSON.stringify(p)}`)
  })
}

for (const field of VALUES) {
  test(`when the ${field.name} holds hostile strings, then each is rejected or escaped into its own word`, async (t) => {
    const appears = field.appears ?? verbatim
    const marker = field.marker ?? MARK
    const render = (v: string): string | RenderError => tryRender(field.build(v), field.files?.(v))
    const baseline = render(marker)
    assert.equal(typeof baseline, 'string', `${field.name}: the harmless value must render`)
    assert.ok((baseline as string).includes(appears(marker)), `${field.name}: the value must be rendered`)
    const accepted: string[] = []
    for (const p of PAYLOADS) {
      const text = render(p)
      if (text instanceof RenderError) {
        assert.ok(!text.message.includes(p), `the error must not echo the payload: ${text.message}`)
        continue
      }
      assertOnlyValueChanged(baseline as string, marker, text, appears(p), `payload ${JSON.stringify(p)}`)
      accepted.push(text)
    }
    if (haproxyMissing !== false) { t.diagnostic(haproxyMissing); return }
    if (field.haproxyMayRefuse !== undefined) { t.diagnostic(`no haproxy -c: ${field.haproxyMayRefuse}`); return }
    const results = await haproxyCheckAll(accepted)
    results.forEach((r, i) => assert.ok(r.ok, `${field.name}, accepted render #${i}:\n${r.output}`))
    t.diagnostic(`${accepted.length} of ${PAYLOADS.length} payloads accepted (escaped), the rest rejected`)
  })
}

test('when a PATH value tries to add a deny rule or a listen section, then the file has neither', () => {
  for (const value of ['x\n    http-request deny', '" if TRUE\nlisten evil']) {
    const text = renderHaproxyConfig(l7({ value }, { action: 'REDIRECT_TO_POOL', redirectPoolId: id('pool', 1) }), GOLDEN_OPTIONS)
    const lines = tokenizeConfig(text)
    assert.ok(!lines.some((w) => w[0] === 'http-request' || w[0] === 'listen'), text)
    assert.ok(text.split('\n').every((line) => line === '' || line.startsWith('#') || /^(global|defaults|frontend |backend |    \S)/.test(line)))
  }
})

test('when every escaped field is accepted at once with quotes, # and backslashes, then the text escapes each', () => {
  const v = `a "b" 'c' #d \\e`
  const text = renderHaproxyConfig(l7({ type: 'PATH', compareType: 'EQUAL_TO', value: v }), GOLDEN_OPTIONS)
  assert.ok(text.includes(String.raw`-- a\ \"b\"\ \'c\'\ \#d\ \\e`), text)
})

test('when a certificate path or cipher list holds a newline or a space, then no directive is added', () => {
  const files = (path: string): TlsFiles => tlsFiles({ [CERT_REF]: path })
  for (const path of ['/c.pem\n    bind :1', '/c.pem ca-file /etc/passwd', '/c.pem\tverify none']) {
    assert.throws(() => renderHaproxyConfig(https(), GOLDEN_OPTIONS, files(path)), RenderError)
  }
  for (const ciphers of ['HIGH\n    bind :1', 'HIGH verify none', 'HIGH#x']) {
    assert.throws(() => renderHaproxyConfig(https({ ciphers }), GOLDEN_OPTIONS, files('/c.pem')), RenderError)
    assert.throws(() => renderHaproxyConfig(reencrypting({ tlsCiphers: ciphers }), GOLDEN_OPTIONS), RenderError)
  }
  const text = renderHaproxyConfig(https(), GOLDEN_OPTIONS, files("/c#'.pem"))
  assert.ok(text.includes(String.raw`ssl crt /c\#\'.pem`), text)
})
