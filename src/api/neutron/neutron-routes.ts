import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Caller } from '../auth/caller.js'
import type { ApiDeps } from '../deps.js'
import { baseUrlOf } from '../versions.js'
import { nowIso } from '../../common/time.js'
import type { Network, Port, Subnet } from '../../model/network-service.js'
import {
  fieldsOf, filtersOf, matches, neutronError, NeutronBadRequest, paginate, pickFields, valuesOf,
  type NeutronObject, type NeutronQuery,
} from './neutron-query.js'
import { NEUTRON_PATH_PREFIX, registerNeutronDiscovery } from './neutron-discovery.js'
import {
  NETWORK_ATTRIBUTES, PORT_ATTRIBUTES, SUBNET_ATTRIBUTES, renderNetwork, renderPort, renderSubnet,
} from './neutron-render.js'

type Req = FastifyRequest<{ Querystring: NeutronQuery; Params: { id: string } }>

/** Neutron's default `context_is_admin` (`role:admin`), or a strategy-given admin (noauth): sees every project's ports. */
const seesEveryPort = (caller: Caller): boolean => caller.isAdmin || caller.roles.includes('admin')

/** How one Neutron collection is read. */
interface Collection {
  readonly plural: string
  readonly singular: string
  readonly attributes: readonly string[]
  /** Everything the caller may see, narrowed by `ids` when the query names ids. */
  load(req: Req, ids: readonly string[] | null, filters: ReadonlyMap<string, readonly string[]>): Promise<NeutronObject[]>
  readonly notFound: (id: string) => [type: string, message: string]
}

/**
 * The API port's Neutron subset: the CLI's same-URL look-ups at `/v2.0/…`,
 * `/v2/…` too because openstacksdk's version discovery, pointed at the API
 * port, reads Octavia's version document (whose links say `/v2`) and then
 * asks `/v2/subnets` (`openstack subnet list`); and a discoverable copy under
 * `/networking` (version document, resource listing, `/networking/v2.0/…`).
 */
export function registerNeutronRoutes(app: FastifyInstance, deps: ApiDeps): void {
  registerNeutronCollections(app, deps, ['/v2.0', '/v2', `${NEUTRON_PATH_PREFIX}/v2.0`])
  registerNeutronDiscovery(app, NEUTRON_PATH_PREFIX, `${NEUTRON_PATH_PREFIX}/v2.0`)
}

/**
 * The read-only Neutron subset the openstack CLI and openstacksdk resolve
 * names and ids with (`GET <prefix>/{networks,subnets,ports}[/{id}]` with
 * filters, `fields`, pagination), plus empty `subnetpools`, `qos/policies`
 * and `security-groups`, under each of `prefixes`. Errors use Neutron's
 * `{"NeutronError": …}` body. Networks and subnets are shared (everyone sees
 * them); ports only to admins and their project.
 */
export function registerNeutronCollections(app: FastifyInstance, deps: ApiDeps, prefixes: readonly string[]): void {
  const collections = collectionsOf(deps)
  for (const prefix of prefixes) {
    for (const c of collections) registerCollectionAt(app, prefix, c)
    registerEmpty(app, prefix, 'subnetpools', 'subnetpools', id => ['SubnetPoolNotFound', `Subnet pool ${id} could not be found.`])
    registerEmpty(app, prefix, 'qos/policies', 'policies', id => ['QosPolicyNotFound', `QoS policy ${id} could not be found.`])
    registerEmpty(app, prefix, 'security-groups', 'security_groups', id => ['SecurityGroupNotFound', `Security group ${id} does not exist`])
  }
}

/** How networks, subnets and ports are read from the network service. */
function collectionsOf(deps: ApiDeps): Collection[] {
  const declaredAt = nowIso()
  const net = deps.network
  const db = deps.database.db
  const known = <T>(x: T | null): x is T => x !== null
  return [{
    plural: 'networks', singular: 'network', attributes: NETWORK_ATTRIBUTES,
    load: async (_req, ids) => (ids ? ids.map(id => net.getNetwork(id)).filter(known) : [...net.listNetworks()])
      .map((n: Network) => renderNetwork(n, declaredAt)),
    notFound: id => ['NetworkNotFound', `Network ${id} could not be found.`],
  }, {
    plural: 'subnets', singular: 'subnet', attributes: SUBNET_ATTRIBUTES,
    load: async (_req, ids) => (ids ? ids.map(id => net.getSubnet(id)).filter(known) : [...net.listSubnets()])
      .map((s: Subnet) => renderSubnet(s, declaredAt)),
    notFound: id => ['SubnetNotFound', `Subnet ${id} could not be found.`],
  }, {
    plural: 'ports', singular: 'port', attributes: [...PORT_ATTRIBUTES],
    load: async (req, ids, filters) => {
      const ports = ids
        ? (await Promise.all(ids.map(id => net.getPort(db, id)))).filter(known)
        : await net.listPorts(db, {
          names: filters.get('name'), networkIds: filters.get('network_id'),
          deviceIds: filters.get('device_id'), deviceOwners: filters.get('device_owner'),
          projectIds: seesEveryPort(req.caller) ? undefined : [req.caller.projectId],
        })
      return ports.filter((p: Port) => seesEveryPort(req.caller) || p.projectId === req.caller.projectId).map(renderPort)
    },
    notFound: id => ['PortNotFound', `Port ${id} could not be found.`],
  }]
}

function registerCollectionAt(app: FastifyInstance, prefix: string, c: Collection): void {
  app.get(`${prefix}/${c.plural}`, async (req: Req, reply) => {
    try {
      const filters = filtersOf(req.query, c.attributes)
      const ids = filters.get('id') ?? null
      const items = (await c.load(req, ids, filters)).filter(o => matches(o, filters))
      const page = paginate(items, req.query)
      const fields = fieldsOf(req.query)
      const body: Record<string, unknown> = { [c.plural]: page.items.map(o => pickFields(o, fields)) }
      if (page.nextMarker !== null) body[`${c.plural}_links`] = [{ rel: 'next', href: nextHref(req, `${prefix}/${c.plural}`, page.nextMarker) }]
      return body
    } catch (err) {
      return badRequestOr(err, reply)
    }
  })
  app.get(`${prefix}/${c.plural}/:id`, async (req: Req, reply) => {
    const [found] = await c.load(req, [req.params.id], new Map())
    if (!found) return notFound(reply, ...c.notFound(req.params.id))
    return { [c.singular]: pickFields(found, fieldsOf(req.query)) }
  })
}

/** A collection this deployment has none of (no subnet pools, no QoS, no security groups). */
function registerEmpty(app: FastifyInstance, prefix: string, path: string, plural: string, nf: (id: string) => [string, string]): void {
  app.get(`${prefix}/${path}`, async () => ({ [plural]: [] }))
  app.get(`${prefix}/${path}/:id`, async (req: Req, reply) => notFound(reply, ...nf(req.params.id)))
}

function notFound(reply: FastifyReply, type: string, message: string) {
  return reply.code(404).send(neutronError(type, message))
}

function badRequestOr(err: unknown, reply: FastifyReply) {
  if (err instanceof NeutronBadRequest) return reply.code(400).send(neutronError('HTTPBadRequest', err.message))
  throw err
}

function nextHref(req: Req, path: string, marker: string): string {
  const params = new URLSearchParams()
  for (const [k, v] of Object.entries(req.query)) if (k !== 'marker') for (const x of valuesOf(v)) params.append(k, x)
  params.append('marker', marker)
  return `${baseUrlOf(req)}${path}?${params.toString()}`
}
