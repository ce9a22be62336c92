import { ApiServer } from '../api/api-server.js'
import { InProcessBus } from '../bus/in-process-bus.js'
import type { Runnable } from '../common/runnable.js'
import { openProcessContext } from './context.js'
import { createNetworkService } from '../network/create-network-service.js'
import { createWorker } from '../worker/create-worker.js'

export type Component = 'api' | 'worker'

/**
 * Wires the chosen components into this process and runs them until SIGINT or
 * SIGTERM. The embedded default (`serve`) runs all of them on one bus.
 */
export async function runServe(configFile: string | undefined, components: readonly Component[]): Promise<void> {
  const ctx = await openProcessContext({ config: configFile, migrate: true, name: 'octavia-ts' })
  const bus = new InProcessBus()
  const network = createNetworkService(ctx.config)
  const parts: Runnable[] = []
  if (components.includes('api')) {
    parts.push(new ApiServer({ config: ctx.config, database: ctx.database, bus, network, log: ctx.log }))
  }
  if (components.includes('worker')) {
    parts.push(createWorker({ config: ctx.config, database: ctx.database, bus, network, log: ctx.log }))
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
