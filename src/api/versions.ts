import type { FastifyInstance, FastifyRequest } from 'fastify'

/** Octavia's API versions: v2.0 … v2.30, all served by `/v2`; the last is CURRENT. */
const LAST_MINOR = 30
const CURRENT_UPDATED = '2025-02-26T00:00:00Z'

/** The external base URL of a request (scheme://host[:port]). */
export const baseUrlOf = (req: FastifyRequest): string => `${req.protocol}://${req.host}`

/** Version discovery at `/` and the `/v2` root. */
export function registerVersionRoutes(app: FastifyInstance): void {
  app.get('/', async req => {
    const href = `${baseUrlOf(req)}/v2`
    return {
      versions: Array.from({ length: LAST_MINOR + 1 }, (_, i) => ({
        id: `v2.${i}`,
        status: i === LAST_MINOR ? 'CURRENT' : 'SUPPORTED',
        updated: i === LAST_MINOR ? CURRENT_UPDATED : '2016-12-11T00:00:00Z',
        links: [{ href, rel: 'self' }],
      })),
    }
  })
  // NOTE: Octavia answers the JSON string "v2" here.
  app.get('/v2', async (_req, reply) => reply.type('application/json').send(JSON.stringify('v2')))
}
