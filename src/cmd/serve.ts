import { createAmphoraAgent } from '../agent/create-agent.js'
import { ApiServer } from '../api/api-server.js'
import { InProcessBus } from '../bus/in-process-bus.js'
import type { Runnable } from '../common/runnable.js'
import { openProcessContext } from './context.js'
import { createDataPlane } from '../drivers/network/create-data-plane.js'
import { DataPlaneHostSetup } from '../drivers/network/host-setup.js'
import { createNetworkService } from '../network/create-network-service.js'
import { createWorker } from '../worker/create-worker.js'
import { DatabaseCleanup } from '../housekeeping/db-cleanup.js'

export type Component = 'api' | 'worker' | 'housekeeping'

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
    const providers = ctx.config.api_settings.enabled_provider_drivers
    if (Object.hasOwn(providers, 'amphora') || Object.hasOwn(providers, 'octavia')) {
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
  }
  const abort = new AbortController()
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => abort.abort())
  for (const p of parts) await p.start(abort.signal)
  ctx.log.info({ components }, 'octavia-ts started')
  await Promise.all(parts.map(p => p.stopped))
  await ctx.database.close()
}

/** The API alone. */
export const runApi = (configFile: string | undefined): Promise<void> => runServe(configFile, ['api'])
