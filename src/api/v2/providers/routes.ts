import type { FastifyInstance, FastifyRequest } from 'fastify'
import { authorize, type PolicyAction } from '../../auth/authorize.js'
import type { ApiDeps } from '../../deps.js'
import { selectFields, type Query } from '../../list/list-params.js'
import type { ProviderCapabilities } from '../../../model/provider-capabilities.js'
import { enabledProviders, resolveProvider } from './provider-catalog.js'

type Entry = { name: string; description: string }

const fieldsOf = (query: Query): string[] | null => {
  const raw = query.fields
  if (raw === undefined) return null
  return (Array.isArray(raw) ? raw : [raw]).flatMap(s => s.split(',')).map(s => s.trim()).filter(s => s !== '')
}

const lastOf = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v.at(-1) : v)

/**
 * `name=` and `description=` filter the capabilities exactly; other query
 * keys are ignored, as Octavia does for these lists.
 */
function capabilityList(dict: Readonly<Record<string, string>>, query: Query): Partial<Entry>[] {
  const name = lastOf(query.name)
  const description = lastOf(query.description)
  return Object.entries(dict)
    .filter(([k, v]) => (!name || k === name) && (!description || v === description))
    .map(([k, v]) => selectFields({ name: k, description: v }, fieldsOf(query)))
}

/**
 * Routes of /v2/lbaas/providers: the enabled provider drivers and, per
 * provider, the flavor and availability zone metadata keys its driver supports.
 */
export function registerProvidersRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const settings = deps.config.api_settings

  app.get('/v2/lbaas/providers', async req => {
    authorize(req.caller, 'provider:get_all', req.caller.projectId)
    return { providers: enabledProviders(settings).map(p => selectFields(p, fieldsOf(req.query as Query))) }
  })

  const capabilities = (
    key: 'flavor_capabilities' | 'availability_zone_capabilities', action: PolicyAction,
    pick: (c: ProviderCapabilities) => Readonly<Record<string, string>>,
  ) =>
    async (req: FastifyRequest<{ Params: { provider: string } }>) => {
      authorize(req.caller, action, req.caller.projectId)
      const driver = resolveProvider(deps, req.params.provider)
      return { [key]: capabilityList(pick(driver), req.query as Query) }
    }

  app.get('/v2/lbaas/providers/:provider/flavor_capabilities', capabilities('flavor_capabilities', 'provider-flavor:get_all', c => c.flavorMetadata))
  app.get('/v2/lbaas/providers/:provider/availability_zone_capabilities',
    capabilities('availability_zone_capabilities', 'provider-availability-zone:get_all', c => c.availabilityZoneMetadata))
}
