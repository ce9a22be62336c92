import type { FastifyInstance } from 'fastify'
import type { CertificateInstalled } from '../../amphora-api/agent-api.js'
import { AgentHttpError } from '../agent-http-error.js'
import type { ServerCertificate } from '../server-certificate.js'

/**
 * `PUT /1.0/certificate` (per agent host, not per amphora): installs a new
 * server certificate + key sent as PEM text (ServerCertificate.install).
 */
export function registerCertificateRoutes(app: FastifyInstance, certificate: ServerCertificate): void {
  app.addContentTypeParser('application/x-pem-file', { parseAs: 'string' }, (_req, body, done) => done(null, body))
  app.put('/1.0/certificate', async (req): Promise<CertificateInstalled> => {
    if (typeof req.body !== 'string') {
      throw new AgentHttpError(400, 'invalid certificate', 'send the PEM certificate and key as text/plain, application/x-pem-file or application/octet-stream')
    }
    const info = await certificate.install(req.body)
    return {
      message: 'OK', serial_number: info.serialNumber, not_before: info.notBefore.toISOString(), not_after: info.notAfter.toISOString(),
    }
  })
}
