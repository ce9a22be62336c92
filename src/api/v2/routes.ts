import type { FastifyInstance } from 'fastify'
import type { ApiDeps } from '../deps.js'
import { registerNeutronRoutes } from '../neutron/neutron-routes.js'
import { registerAmphoraeRoutes } from './amphorae/routes.js'
import { registerAvailabilityZoneProfilesRoutes } from './availability-zone-profiles/routes.js'
import { registerAvailabilityZonesRoutes } from './availability-zones/routes.js'
import { registerFlavorProfilesRoutes } from './flavor-profiles/routes.js'
import { registerFlavorsRoutes } from './flavors/routes.js'
import { registerHealthMonitorsRoutes } from './health-monitors/routes.js'
import { registerL7policiesRoutes } from './l7policies/routes.js'
import { registerL7rulesRoutes } from './l7rules/routes.js'
import { registerListenersRoutes } from './listeners/routes.js'
import { registerLoadBalancersRoutes } from './load-balancers/routes.js'
import { registerMembersRoutes } from './members/routes.js'
import { registerPoolsRoutes } from './pools/routes.js'
import { registerProvidersRoutes } from './providers/routes.js'
import { registerQuotasRoutes } from './quotas/routes.js'

/** Every v2 resource, plus the Neutron-compatible subset the CLI resolves names with. */
export function registerV2Routes(app: FastifyInstance, deps: ApiDeps): void {
  registerLoadBalancersRoutes(app, deps)
  registerListenersRoutes(app, deps)
  registerPoolsRoutes(app, deps)
  registerMembersRoutes(app, deps)
  registerHealthMonitorsRoutes(app, deps)
  registerL7policiesRoutes(app, deps)
  registerL7rulesRoutes(app, deps)
  registerProvidersRoutes(app, deps)
  registerQuotasRoutes(app, deps)
  registerFlavorProfilesRoutes(app, deps)
  registerFlavorsRoutes(app, deps)
  registerAvailabilityZoneProfilesRoutes(app, deps)
  registerAvailabilityZonesRoutes(app, deps)
  registerAmphoraeRoutes(app, deps)
  registerNeutronRoutes(app, deps)
}
