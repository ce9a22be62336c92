import type { FastifyInstance, FastifyRequest } from 'fastify'

/**
 * Octavia's API versions v2.0 … v2.30 with the date each was introduced; all
 * are served by the one `/v2` endpoint (no per-request microversion). The last
 * one is CURRENT, the others SUPPORTED.
 */
const VERSION_DATES: readonly string[] = [
  '2016-12-11T00:00:00Z', '2018-04-20T00:00:00Z', '2018-07-31T00:00:00Z', '2018-12-18T00:00:00Z',
  '2018-12-19T00:00:00Z', '2019-01-21T00:00:00Z', '2019-01-25T00:00:00Z', '2018-01-25T12:00:00Z',
  '2019-02-12T00:00:00Z', '2019-03-04T00:00:00Z', '2019-03-05T00:00:00Z', '2019-06-24T00:00:00Z',
  '2019-09-11T00:00:00Z', '2019-09-13T00:00:00Z', '2019-11-10T00:00:00Z', '2020-03-10T00:00:00Z',
  '2020-03-15T00:00:00Z', '2020-04-29T00:00:00Z', '2020-04-29T01:00:00Z', '2020-05-12T00:00:00Z',
  '2020-08-02T00:00:00Z', '2020-09-03T00:00:00Z', '2020-09-04T00:00:00Z', '2020-09-07T00:00:00Z',
  '2020-10-15T00:00:00Z', '2021-10-02T00:00:00Z', '2022-08-29T00:00:00Z', '2023-05-05T00:00:00Z',
  '2023-11-08T00:00:00Z', '2024-10-15T00:00:00Z', '2025-02-26T00:00:00Z',
]

/** The external base URL of a request (scheme://host[:port]). */
export const baseUrlOf = (req: FastifyRequest): string => `${req.protocol}://${req.host}`

/** The request URL without its query string (Octavia's `path_url`), e.g. for list links. */
export const pathUrlOf = (req: FastifyRequest): string => {
  const url = req.originalUrl ?? req.url
  const q = url.indexOf('?')
  return baseUrlOf(req) + (q < 0 ? url : url.slice(0, q))
}

/** The version document of `GET /`: every version links to `<request url>/v2`. */
export function versionDocument(requestPathUrl: string): { versions: unknown[] } {
  const base = requestPathUrl.endsWith('/') ? requestPathUrl : `${requestPathUrl}/`
  const last = VERSION_DATES.length - 1
  return {
    versions: VERSION_DATES.map((updated, i) => ({
      id: `v2.${i}`,
      status: i === last ? 'CURRENT' : 'SUPPORTED',
      updated,
      links: [{ href: `${base}v2`, rel: 'self' }],
    })),
  }
}

/** Version discovery at `/`, and the `/v2` (alias `/v2.0`), `/v2/lbaas` and `/v2/octavia` roots. */
export function registerVersionRoutes(app: FastifyInstance): void {
  app.get('/', async req => versionDocument(pathUrlOf(req)))
  // NOTE: Octavia answers the JSON string "v2" at each v2 root.
  for (const path of ['/v2', '/v2/lbaas', '/v2/octavia']) {
    app.get(path, async (_req, reply) => reply.type('application/json').send(JSON.stringify('v2')))
  }
}
