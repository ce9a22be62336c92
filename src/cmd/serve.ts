import { createAmphoraAgent } from '../agent/create-agent.js'
import { ApiServer } from '../api/api-server.js'
import { InProcessBus } from '../bus/in-process-bus.js'
import type { Config } from '../common/config/schema.js'
import type { Runnable } from '../common/runnable.js'
import { openProcessContext } from './context.js'
import { createDataPlane } from '../drivers/network/create-data-plane.js'
import { DataPlaneHostSetup } from '../drivers/network/host-setup.js'
import { createNetworkService } from '../drivers/network/create-network-service.js'
import { createWorker } from '../worker/create-worker.js'
import { CertRotation } from '../housekeeping/cert-rotation.js'
import { DatabaseCleanup } from '../housekeeping/db-cleanup.js'
import { HealthManager } from '../health-manager/health-manager.js'
import { resolveHeartbeatKey } from '../amphora-api/heartbeat-key.js'

export type Component = 'api' | 'worker' | 'housekeeping' | 'health-manager'

/**
 * Wires the chosen components into this process and runs them until SIGINT or
 * SIGTERM. The embedded default (`serve`) runs all of them on one bus.
 */
export async function runServe(configFile: string | undefined, components: readonly Component[]): Promise<void> {
  const ctx = await openProcessContext({ config: configFile, migrate: true, name: 'octavia-ts' })
  const bus = new InProcessBus()
  const network = createNetworkService(ctx.config)
  const parts: Runnable[] = []
  if (components.includes('worker')) {
    // The amphora provider's data plane in this process (the embedded default),
    // ready before the API answers: the host prepared for amphorae (netns:
    // bridges), then this host's agent.
    if (amphoraProviderEnabled(ctx.config)) {
      parts.push(new DataPlaneHostSetup(createDataPlane(ctx.config, { log: ctx.log }).network, ctx.log))
      parts.push(createAmphoraAgent(ctx.config, ctx.log))
    }
  }
  if (components.includes('api')) {
    parts.push(new ApiServer({ config: ctx.config, database: ctx.database, bus, network, log: ctx.log }))
  }
  if (components.includes('worker')) {
    parts.push(createWorker({ config: ctx.config, database: ctx.database, bus, network, log: ctx.log }))
  }
  if (components.includes('housekeeping')) {
    parts.push(new DatabaseCleanup(ctx.config.house_keeping, { database: ctx.database, log: ctx.log }))
    parts.push(new CertRotation(ctx.config, { database: ctx.database, log: ctx.log }))
  }
  // Only amphorae send heartbeats: the all-in-one process runs the health manager when an amphora provider is
  // enabled (as the agent above); `octavia-ts health-manager` (the component alone) always runs it.
  if (components.includes('health-manager') && (components.length === 1 || amphoraProviderEnabled(ctx.config))) {
    const heartbeatKey = await resolveHeartbeatKey(ctx.config)
    parts.push(new HealthManager(ctx.config.health_manager, { database: ctx.database, bus, log: ctx.log, heartbeatKey }))
  }
  const abort = new AbortController()
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => abort.abort())
  for (const p of parts) await p.start(abort.signal)
  ctx.log.info({ components }, 'octavia-ts started')
  await Promise.all(parts.map(p => p.stopped))
  await ctx.database.close()
}

/** Whether the amphora provider (or its alias `octavia`) is enabled: amphorae, agents and heartbeats exist. */
function amphoraProviderEnabled(config: Config): boolean {
  const providers = config.api_settings.enabled_provider_drivers
  return Object.hasOwn(providers, 'amphora') || Object.hasOwn(providers, 'octavia')
}

/** The API alone. */
export const runApi = (configFile: string | undefined): Promise<void> => runServe(configFile, ['api'])
