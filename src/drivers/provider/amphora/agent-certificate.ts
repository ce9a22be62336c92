import { connect } from 'node:tls'
import { isIP } from 'node:net'
import type { TlsMaterial } from '../../../pki/tls-material.js'
import type { AgentEndpoint } from '../../amphora/rest/agent-client.js'

/**
 * The expiry of the certificate an agent presents (the amphora's
 * `cert_expiration`: with one agent per host, the amphora's certificate is
 * the agent's). Opens one mutual-TLS connection, verified as the agent
 * client does, reads the peer certificate and closes. Rejects on failure or
 * after `timeoutMs`.
 */
export function agentCertificateExpiry(
  ep: AgentEndpoint, defaultPort: number, tls: Pick<TlsMaterial, 'cert' | 'key' | 'ca'>, signal: AbortSignal, timeoutMs = 5000,
): Promise<Date> {
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
      const cert = socket.getPeerCertificate()
      socket.end()
      if (!cert?.valid_to) reject(new Error('the agent presented no certificate'))
      else resolve(new Date(cert.valid_to))
    })
    socket.once('error', err => {
      done()
      reject(err)
    })
  })
}
