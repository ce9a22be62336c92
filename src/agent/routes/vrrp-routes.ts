/**
 * `/amphorae/{amp}/1.0/vrrp...`: the keepalived (VRRP) of an amphora of an
 * ACTIVE_STANDBY load balancer — spec upload, start/stop/reload, status.
 * Every route answers 400 for an amphora without a network namespace
 * (loopback mode cannot run VRRP) and 404 for an unknown amphora.
 */
import { Type, type Static } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import type { AgentMessage, VrrpStatus } from '../../amphora-api/agent-api.js'
import { AgentHttpError } from '../agent-http-error.js'
import type { AmphoraHost } from '../amphora-host.js'

type Params = { amp: string }
const PREFIX = '/amphorae/:amp/1.0/vrrp'
const Address = Type.String({ minLength: 1, maxLength: 64 })

/** The JSON shape of a VrrpSpec; the values are checked strictly by checkVrrpSpec. */
const Spec = Type.Object({
  groupName: Type.String({ minLength: 1, maxLength: 64 }),
  vrrpId: Type.Integer(),
  priority: Type.Integer(),
  authPassword: Type.String({ minLength: 1, maxLength: 64 }),
  advertInt: Type.Number(),
  ownIp: Address,
  peerIps: Type.Array(Address, { maxItems: 16 }),
  vips: Type.Array(Address, { maxItems: 64 }),
}, { additionalProperties: false })

/** Registers the vrrp routes. */
export function registerVrrpRoutes(app: FastifyInstance, host: AmphoraHost): void {
  app.put<{ Params: Params; Body: Static<typeof Spec> }>(PREFIX, { schema: { body: Spec } }, async (req) => {
    const outcome = await host.withKeepalived(req.params.amp, (k) => k.configure(req.body))
    return { message: 'OK', details: `keepalived configuration ${outcome}` } satisfies AgentMessage
  })

  app.put<{ Params: Params & { action: string } }>(`${PREFIX}/:action`, async (req, reply) => {
    const { amp, action } = req.params
    if (action !== 'start' && action !== 'stop' && action !== 'reload') {
      throw new AgentHttpError(400, 'Invalid Request', `Unknown action: ${action}`)
    }
    const details = await host.withKeepalived(amp, async (k) => {
      if (action === 'stop') {
        k.requireNamespace()
        await k.stop()
        return 'keepalived stopped'
      }
      return `keepalived ${action === 'start' ? await k.start() : await k.reload()}`
    })
    return reply.code(202).send({ message: 'OK', details } satisfies AgentMessage)
  })

  app.get<{ Params: Params }>(PREFIX, async (req): Promise<VrrpStatus> => host.withKeepalived(req.params.amp, (k) => k.status()))
}
