/**
 * `/amphorae/{amp}/1.0/...`: the HAProxy of one load balancer — TLS files,
 * config upload and read-back, start/stop/reload, delete, runtime server changes.
 */
import type { FastifyInstance } from 'fastify'
import type { AgentMessage } from '../../amphora-api/agent-api.js'
import { serverChangesSchema, type ServerChanges } from '../../amphora-api/server-change-schema.js'
import { AgentHttpError } from '../agent-http-error.js'
import type { AmphoraHost } from '../amphora-host.js'
import { readConfig, storeRuntimeConfig, uploadConfig } from '../lb-config-files.js'
import { applyServerChanges } from './apply-server-changes.js'
import { registerCertificateFileRoutes } from './certificate-file-routes.js'

type Params = { amp: string; lb: string }
const PREFIX = '/amphorae/:amp/1.0'

/** Registers the load balancer routes. */
export function registerLoadBalancerRoutes(app: FastifyInstance, host: AmphoraHost): void {
  registerCertificateFileRoutes(app, host)
  app.put<{ Params: Params; Body: string; Querystring: { applied?: string } }>(`${PREFIX}/loadbalancer/:lb/haproxy`, async (req, reply) => {
    if (typeof req.body !== 'string' || req.body.trim() === '') throw new AgentHttpError(400, 'Invalid request', 'empty configuration')
    const text = req.body
    const applied = req.query.applied
    if (applied !== undefined && applied !== 'runtime') throw new AgentHttpError(400, 'Invalid request', `unknown applied=${applied}`)
    await host.withLoadBalancer(req.params.amp, req.params.lb, applied === undefined, (lb) => applied === 'runtime'
      ? storeRuntimeConfig(lb.paths, text)
      : uploadConfig(lb.paths, host.settings.haproxyCmd, text))
    return reply.code(202).send({ message: 'OK' } satisfies AgentMessage)
  })

  app.get<{ Params: Params }>(`${PREFIX}/loadbalancer/:lb/haproxy`, async (req, reply) => {
    const text = await host.withLoadBalancer(req.params.amp, req.params.lb, false, (lb) => readConfig(lb.paths))
    if (text === null) throw new AgentHttpError(404, `load balancer ${req.params.lb} has no configuration on this amphora`)
    return reply.type('text/plain; charset=utf-8').send(text)
  })

  app.put<{ Params: Params & { action: string } }>(`${PREFIX}/loadbalancer/:lb/:action`, async (req, reply) => {
    const { amp, lb: lbId, action } = req.params
    if (action !== 'start' && action !== 'stop' && action !== 'reload') {
      throw new AgentHttpError(400, 'Invalid Request', `Unknown action: ${action}`)
    }
    const details = await host.withLoadBalancer(amp, lbId, false, async (lb) => {
      if (action === 'stop') { await lb.stop(); return `haproxy of load balancer ${lbId} stopped` }
      const done = action === 'start' ? await lb.start() : await lb.reload()
      return `haproxy of load balancer ${lbId} ${done}`
    })
    return reply.code(202).send({ message: 'OK', details } satisfies AgentMessage)
  })

  app.delete<{ Params: Params }>(`${PREFIX}/listeners/:lb`, async (req, reply) => {
    await host.removeLoadBalancer(req.params.amp, req.params.lb)
    return reply.code(204).send()
  })

  app.put<{ Params: Params; Body: ServerChanges }>(`${PREFIX}/loadbalancer/:lb/servers`,
    { schema: { body: serverChangesSchema } }, async (req) => {
      const applied = await host.withLoadBalancer(req.params.amp, req.params.lb, false, (lb) => applyServerChanges(lb, req.body))
      return { message: 'OK', details: `${applied} command(s) applied` } satisfies AgentMessage
    })
}
