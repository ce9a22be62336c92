import { test } from 'node:test'
import assert from 'node:assert/strict'
import { renderHaproxyConfig } from './render-haproxy-config.js'
import { RenderError } from './render-error.js'
import {
  GOLDEN_OPTIONS, healthMonitor, id, listener, listenerTls, loadBalancer, policy, pool, tlsFiles,
} from '../../../../test/golden/haproxy/view-builders.js'
import type { LoadBalancerView } from '../../../model/load-balancer-view.js'

const render = (lb: LoadBalancerView, o = GOLDEN_OPTIONS): string => renderHaproxyConfig(lb, o)
const rejects = (lb: LoadBalancerView, message: RegExp, o = GOLDEN_OPTIONS): void => {
  assert.throws(() => render(lb, o), (e: unknown) => e instanceof RenderError && message.test(e.message))
}

function deepFreeze<T>(o: T): T {
  if (o !== null && typeof o === 'object') {
    for (const v of Object.values(o)) deepFreeze(v)
    Object.freeze(o)
  }
  return o
}

test('when a frozen view is rendered twice, then the text is the same and the view is untouched', () => {
  const lb = deepFreeze(loadBalancer({
    listeners: [listener(2, { protocolPort: 81 }), listener(1, { l7Policies: [policy(2), policy(1)] })],
    pools: [pool(2), pool(1)],
  }))
  const first = render(lb)
  assert.equal(render(lb), first)
  assert.ok(first.endsWith('\n') && first.startsWith('# Load balancer '))
  assert.ok(first.indexOf('frontend 1e000000-0000-4000-8000-000000000001') < first.indexOf('frontend 1e000000-0000-4000-8000-000000000002'))
})

test('when a TERMINATED_HTTPS listener has no default certificate, then RenderError names the field; disabled it is ignored', () => {
  rejects(loadBalancer({ listeners: [listener(1, { protocol: 'TERMINATED_HTTPS', protocolPort: 443 })] }), /needs a default_tls_container_ref/)
  const text = render(loadBalancer({ listeners: [listener(1, { protocol: 'TERMINATED_HTTPS', enabled: false })] }))
  assert.ok(!text.includes('frontend'))
})

test('when a TLS reference has no file on the amphora, then RenderError names its role, not the reference', () => {
  const secretRef = 'https://keys.example/v1/secrets/very-secret-ref'
  const lb = loadBalancer({ listeners: [listener(1, { protocol: 'TERMINATED_HTTPS', tls: listenerTls({ certificateRef: secretRef }) })] })
  assert.throws(() => render(lb), (e: unknown) => e instanceof RenderError
    && /default_tls_container_ref has no file/.test(e.message) && !e.message.includes(secretRef))
  const files = tlsFiles({ [secretRef]: '/c/d.pem' }, {})
  assert.match(renderHaproxyConfig(lb, GOLDEN_OPTIONS, files), /bind 203\.0\.113\.10:80 ssl crt \/c\/d\.pem$/m)
})

test('when a CRL is given without a CA, then RenderError is thrown (listener and pool)', () => {
  const files = tlsFiles({ c: '/c.pem' }, { crl: '/crl.pem' })
  const https = listener(1, { protocol: 'TERMINATED_HTTPS', tls: listenerTls({ certificateRef: 'c', clientCrlRef: 'crl' }) })
  assert.throws(() => renderHaproxyConfig(loadBalancer({ listeners: [https] }), GOLDEN_OPTIONS, files), /needs a client_ca_tls_container_ref/)
  const p = pool(1, { tlsEnabled: true, crlContainerId: 'crl' })
  assert.throws(() => renderHaproxyConfig(loadBalancer({ pools: [p] }), GOLDEN_OPTIONS, files), /needs a ca_tls_container_ref/)
})

test('when client_authentication is unknown, then RenderError is thrown', () => {
  const files = tlsFiles({ c: '/c.pem' }, { ca: '/ca.pem' })
  const https = listener(1, { protocol: 'TERMINATED_HTTPS', tls: listenerTls({ certificateRef: 'c', clientCaRef: 'ca', clientAuthentication: 'SOMETIMES' }) })
  assert.throws(() => renderHaproxyConfig(loadBalancer({ listeners: [https] }), GOLDEN_OPTIONS, files), /client_authentication/)
})

test('when a protocol, algorithm, monitor type or persistence type is unknown, then RenderError is thrown', () => {
  rejects(loadBalancer({ listeners: [listener(1, { protocol: 'QUIC' })] }), /protocol QUIC/)
  rejects(loadBalancer({ pools: [pool(1, { lbAlgorithm: 'LEAST_TIME' })] }), /lb_algorithm LEAST_TIME/)
  rejects(loadBalancer({ pools: [pool(1, { healthMonitor: healthMonitor(1, { type: 'UDP-CONNECT' }) })] }), /UDP-CONNECT/)
  rejects(loadBalancer({ pools: [pool(1, { sessionPersistence: { type: 'X', cookieName: null, persistenceTimeout: null, persistenceGranularity: null } })] }), /persistence X/)
})

test('when L7 policies sit on a TCP listener, then RenderError is thrown', () => {
  rejects(loadBalancer({ listeners: [listener(1, { protocol: 'TCP', l7Policies: [policy(1)] })], pools: [pool(1, { protocol: 'TCP' })] }), /need an HTTP listener/)
})

test('when an HTTP listener uses a TCP pool, then RenderError is thrown (HAProxy refuses it)', () => {
  rejects(loadBalancer({ pools: [pool(1, { protocol: 'TCP' })] }), /cannot serve the HTTP listener/)
})

test('when a re-encrypting pool refers to a certificate without file, then RenderError is thrown; without tls_enabled it is ignored', () => {
  rejects(loadBalancer({ pools: [pool(1, { tlsEnabled: true, caTlsCertificateId: 'ref' })] }), /ca_tls_container_ref has no file/)
  assert.ok(!render(loadBalancer({ pools: [pool(1, { tlsEnabled: false, caTlsCertificateId: 'ref' })] })).includes('ca-file'))
})

test('when the VIP has no address and a listener must bind, then RenderError is thrown', () => {
  rejects(loadBalancer({ vip: { ipAddress: null, subnetId: null, portId: null } }), /vip address/)
  assert.ok(!render(loadBalancer({ vip: { ipAddress: null, subnetId: null, portId: null }, listeners: [] })).includes('bind'))
})

test('when the maxconn cap is 9900 or more, then the options are rejected', () => {
  rejects(loadBalancer(), /maxconnCap/, { ...GOLDEN_OPTIONS, maxconnCap: 9900 })
})

test('when an HTTP health monitor has an unknown method or version, then RenderError is thrown', () => {
  rejects(loadBalancer({ pools: [pool(1, { healthMonitor: healthMonitor(1, { type: 'HTTP', httpMethod: 'GET /x' }) })] }), /http_method/)
  rejects(loadBalancer({ pools: [pool(1, { healthMonitor: healthMonitor(1, { type: 'HTTP', httpVersion: 2 }) })] }), /http_version/)
})

test('when a REDIRECT_TO_POOL policy targets a missing pool, then it is skipped', () => {
  const text = render(loadBalancer({ listeners: [listener(1, { l7Policies: [policy(1, { action: 'REDIRECT_TO_POOL', redirectPoolId: id('pool', 9) })] })] }))
  assert.ok(!text.includes('use_backend') && !text.includes(id('pool', 9)))
})

test('when a redirect code is not a redirect status, then RenderError is thrown', () => {
  rejects(loadBalancer({ listeners: [listener(1, { l7Policies: [policy(1, { action: 'REDIRECT_TO_URL', redirectUrl: 'https://x/', redirectHttpCode: 200 })] })] }), /redirect_http_code/)
})

test('when the maxconn cap needs more file descriptors than fdLimit, then the options are rejected', () => {
  rejects(loadBalancer(), /maxconnCap 9000 needs about \d+ file descriptors, above fdLimit 20000/, { ...GOLDEN_OPTIONS, maxconnCap: 9000 })
  assert.ok(render(loadBalancer(), { ...GOLDEN_OPTIONS, maxconnCap: 9000, fdLimit: 24000 }).includes('maxconn 9000'))
})

test('when an option path or log address holds spaces or newlines, then the options are rejected', () => {
  rejects(loadBalancer(), /statsSocketPath/, { ...GOLDEN_OPTIONS, statsSocketPath: '/run/x.sock\n    user root' })
  rejects(loadBalancer(), /log.address/, { ...GOLDEN_OPTIONS, log: { ...GOLDEN_OPTIONS.log, address: '/dev/log local0\nlisten x' } })
  rejects(loadBalancer(), /user/, { ...GOLDEN_OPTIONS, user: 'root group' })
})

test('when listeners have limits, then global maxconn is their capped sum', () => {
  const text = render(loadBalancer({
    listeners: [listener(1, { connectionLimit: 100 }), listener(2, { protocolPort: 81, connectionLimit: 250 })],
    pools: [pool(1), pool(2)],
  }))
  assert.match(text, /^ {4}maxconn 350$/m)
  assert.match(render(loadBalancer({ listeners: [] })), /^ {4}maxconn 7500$/m)
})
