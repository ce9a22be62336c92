import { Type, type Static } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import type { AmphoraInventory, AmphoraState } from '../../amphora-api/agent-api.js'
import type { AmphoraHost } from '../amphora-host.js'
import { amphoraInventory } from '../amphora-inventory.js'

const Registration = Type.Object({ netns: Type.Union([Type.String({ maxLength: 64 }), Type.Null()]) }, { additionalProperties: false })
type Params = { amp: string }

/** `GET /amphorae` (what the agent hosts) and `PUT|GET|DELETE /amphorae/{amp}`: registration of an amphora on this agent. */
export function registerAmphoraRoutes(app: FastifyInstance, host: AmphoraHost): void {
  app.get('/amphorae', async (): Promise<AmphoraInventory> => amphoraInventory(host.base, () => host.registeredIds()))
  app.put<{ Params: Params; Body: Static<typeof Registration> }>('/amphorae/:amp', { schema: { body: Registration } },
    async (req): Promise<AmphoraState> => host.register(req.params.amp, { netns: req.body.netns }))
  app.get<{ Params: Params }>('/amphorae/:amp', async (req): Promise<AmphoraState> => host.state(req.params.amp))
  app.delete<{ Params: Params }>('/amphorae/:amp', async (req, reply) => {
    await host.unregister(req.params.amp)
    return reply.code(204).send()
  })
}
