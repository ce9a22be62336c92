import { connect } from 'node:tls'
import { isIP } from 'node:net'
import { describeCertificate, type CertificateInfo } from '../../pki/certificate-info.js'
import type { TlsMaterial } from '../../pki/tls-material.js'
import type { AgentEndpoint } from './amphora-driver.js'

/** The certificate an agent presents, PEM and parsed. */
export interface AgentCertificate {
  readonly pem: string
  readonly info: CertificateInfo
}

/**
 * The server certificate an agent presents (with one agent per host, every
 * amphora of that host is served with it). Opens one mutual-TLS connection,
 * verified as the agent client does (issued by our CA, naming the host we
 * connect to, valid now), reads the peer certificate and closes. Rejects on
 * failure or after `timeoutMs`.
 */
export function readAgentCertificate(
  ep: AgentEndpoint, defaultPort: number, tls: Pick<TlsMaterial, 'cert' | 'key' | 'ca'>, signal: AbortSignal, timeoutMs = 5000,
): Promise<AgentCertificate> {
  return new Promise((resolve, reject) => {
    const socket = connect({
      host: ep.host, port: ep.port ?? defaultPort, ca: tls.ca, cert: tls.cert, key: tls.key,
      servername: isIP(ep.host) === 0 ? ep.host : undefined, minVersion: 'TLSv1.2',
    })
    const timer = setTimeout(() => socket.destroy(new Error(`no TLS handshake with ${ep.host} within ${timeoutMs} ms`)), timeoutMs)
    const onAbort = (): void => { socket.destroy(new Error('aborted')) }
    signal.addEventListener('abort', onAbort, { once: true })
    const done = (): void => {
      clearTimeout(timer)
      signal.removeEventListener('abort', onAbort)
    }
    socket.once('secureConnect', () => {
      done()
      const cert = socket.getPeerX509Certificate()
      socket.end()
      if (cert === undefined) reject(new Error('the agent presented no certificate'))
      else resolve(Object.freeze({ pem: cert.toString(), info: describeCertificate(cert.toString()) }))
    })
    socket.once('error', err => {
      done()
      reject(err)
    })
  })
}

/**
 * The expiry of the certificate an agent presents (the amphora's
 * `cert_expiration`): readAgentCertificate's `notAfter`.
 */
export async function agentCertificateExpiry(
  ep: AgentEndpoint, defaultPort: number, tls: Pick<TlsMaterial, 'cert' | 'key' | 'ca'>, signal: AbortSignal, timeoutMs = 5000,
): Promise<Date> {
  return (await readAgentCertificate(ep, defaultPort, tls, signal, timeoutMs)).info.notAfter
}
