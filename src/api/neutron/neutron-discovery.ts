import type { FastifyInstance } from 'fastify'
import { baseUrlOf } from '../versions.js'

/**
 * Where the API port serves the Neutron-compatible subset so that clients can
 * discover it (devstack mounts Neutron at this path too): register
 * `http://<api>/networking` in a Keystone catalog as `network`.
 */
export const NEUTRON_PATH_PREFIX = '/networking'

/** Neutron's core resources (singular, collection) in the order its `GET /v2.0/` lists them. */
const CORE_RESOURCES: readonly (readonly [string, string])[] = [
  ['network', 'networks'], ['subnet', 'subnets'], ['subnetpool', 'subnetpools'], ['port', 'ports'],
]

/**
 * Neutron's version document at its root: the one version `v2.0`, CURRENT,
 * linking to `<root>/v2.0/`. keystoneauth's discovery reads it (`versions`,
 * each with `id`, `status`, `links`); the trailing slash is Neutron's.
 */
export function neutronVersionDocument(rootUrl: string): { versions: unknown[] } {
  const root = rootUrl.replace(/\/+$/, '')
  return { versions: [{ id: 'v2.0', status: 'CURRENT', links: [{ rel: 'self', href: `${root}/v2.0/` }] }] }
}

/**
 * Neutron's `GET /v2.0/`: each core resource with a link to its collection.
 * It is no version document, so keystoneauth's discovery, given a versioned
 * URL, fails over to the root (a bare string there made it throw a TypeError).
 */
export function neutronResourceListing(v2Url: string): { resources: unknown[] } {
  const base = v2Url.endsWith('/') ? v2Url : `${v2Url}/`
  return {
    resources: CORE_RESOURCES.map(([name, collection]) =>
      ({ name, collection, links: [{ rel: 'self', href: `${base}${collection}` }] })),
  }
}

/**
 * Answers the version document at `root` (`''` is the listener's `/`) and the
 * resource listing at `resourcesPath` (Neutron's `/v2.0/`; the API port
 * strips trailing slashes before routing, so there it is `<root>/v2.0`).
 */
export function registerNeutronDiscovery(app: FastifyInstance, root: string, resourcesPath: string): void {
  app.get(root === '' ? '/' : root, async req => neutronVersionDocument(baseUrlOf(req) + root))
  app.get(resourcesPath, async req => neutronResourceListing(`${baseUrlOf(req)}${root}/v2.0/`))
}
