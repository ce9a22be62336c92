import type { FastifyInstance, FastifyRequest } from 'fastify'
import { baseUrlOf } from '../versions.js'

/**
 * Barbican's v1 description at API version 1.0 (what it answers a request
 * without `OpenStack-API-Version`): status `stable`, links to itself with a
 * trailing slash, the JSON media type.
 */
export function v1Description(req: FastifyRequest, mount: string): Record<string, unknown> {
  return {
    id: 'v1',
    status: 'stable',
    links: [
      { rel: 'self', href: `${baseUrlOf(req)}${mount}/v1/` },
      { rel: 'describedby', type: 'text/html', href: 'https://docs.openstack.org/' },
    ],
    'media-types': [{ base: 'application/json', type: 'application/vnd.openstack.key-manager-v1+json' }],
  }
}

/**
 * Version discovery of a mount: `<mount>` (and `<mount>/`) answers
 * Barbican's 300 Multiple Choices with `{versions: {values: [v1]}}`, where
 * keystoneauth finds `<mount>/v1/`; `<mount>/v1` answers `{version: v1}`.
 * The bare API port's `/` stays Octavia's version document, so the root
 * document is served under `/key-manager` only.
 */
export function registerKeyManagerVersions(app: FastifyInstance, mount: string): void {
  if (mount !== '') {
    app.get(mount, async (req, reply) => reply.code(300).send({ versions: { values: [v1Description(req, mount)] } }))
  }
  app.get(`${mount}/v1`, async req => ({ version: v1Description(req, mount) }))
}
