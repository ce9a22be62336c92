/**
 * `PUT /amphorae/{amp}/1.0/loadbalancer/{lb}/certificates`: the TLS files of
 * one load balancer (amphora-api/certificate-files.ts), stored before the
 * configuration that names them is uploaded.
 */
import type { FastifyInstance } from 'fastify'
import type { AgentMessage } from '../../amphora-api/agent-api.js'
import { certificateFilesSchema, type CertificateFilesUpload } from '../../amphora-api/certificate-files.js'
import type { AmphoraHost } from '../amphora-host.js'
import { storeCertificateFiles } from '../lb-certificate-files.js'

/** Registers the certificate files route. */
export function registerCertificateFileRoutes(app: FastifyInstance, host: AmphoraHost): void {
  app.put<{ Params: { amp: string; lb: string }; Body: CertificateFilesUpload }>('/amphorae/:amp/1.0/loadbalancer/:lb/certificates',
    { schema: { body: certificateFilesSchema } }, async (req) => {
      const stored = await host.withLoadBalancer(req.params.amp, req.params.lb, true, (lb) => storeCertificateFiles(lb.paths, req.body.files))
      return { message: 'OK', details: `${stored} file(s) stored` } satisfies AgentMessage
    })
}
