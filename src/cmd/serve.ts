import type { Config } from '../common/config/schema.js'
import type { Runnable } from '../common/runnable.js'
import { compose, type Composition } from './compose.js'
import { openProcessContext } from './context.js'

export type Component = 'api' | 'worker' | 'housekeeping' | 'health-manager'

/**
 * Wires the chosen components into this process and runs them until SIGINT or
 * SIGTERM. The embedded default (`serve`) runs all of them on one bus.
 */
export async function runServe(configFile: string | undefined, components: readonly Component[]): Promise<void> {
  const ctx = await openProcessContext({ config: configFile, migrate: true, name: 'octavia-ts' })
  const composition = compose(ctx)
  const parts = await partsOf(composition, components)
  const abort = new AbortController()
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => abort.abort())
  for (const p of parts) await p.start(abort.signal)
  ctx.log.info({ components }, 'octavia-ts started')
  await Promise.all(parts.map(p => p.stopped))
  await composition.bus.close()
  await ctx.database.close()
}

/** The Runnables of `components`, in start order. */
async function partsOf(c: Composition, components: readonly Component[]): Promise<Runnable[]> {
  const parts: Runnable[] = []
  // The amphora provider's data plane in this process (the embedded default), ready before the API
  // answers: the host prepared for amphorae (netns: bridges), then this host's agent (none for the noop
  // amphora driver, which talks to no agent).
  if (components.includes('worker') && amphoraProviderEnabled(c.config)) parts.push(c.hostSetup())
  if (components.includes('worker') && localAgentNeeded(c.config)) parts.push(c.agent())
  // This host's orphan amphorae looked for (and removed) before the worker hands out VIPs they may hold.
  const orphans = components.includes('worker') && localAgentNeeded(c.config) ? c.orphanAmphorae() : null
  if (orphans !== null) parts.push(orphans)
  if (components.includes('api')) parts.push(c.api())
  if (components.includes('worker')) parts.push(c.worker())
  if (components.includes('housekeeping')) parts.push(...c.housekeeping())
  // Only amphorae send heartbeats: the all-in-one process runs the health manager when an amphora provider is
  // enabled (as the agent above); `octavia-ts health-manager` (the component alone) always runs it.
  if (components.includes('health-manager') && (components.length === 1 || amphoraProviderEnabled(c.config))) {
    parts.push(await c.healthManager())
  }
  return parts
}

/** Whether the amphora provider (or its alias `octavia`) is enabled: amphorae, agents and heartbeats exist. */
function amphoraProviderEnabled(config: Config): boolean {
  const providers = config.api_settings.enabled_provider_drivers
  return Object.hasOwn(providers, 'amphora') || Object.hasOwn(providers, 'octavia')
}

/**
 * Whether a worker in this process needs this host's amphora agent: an
 * amphora provider is enabled and its amphora driver is the REST one
 * (`amphora_noop_driver` starts nothing and contacts no agent).
 */
export function localAgentNeeded(config: Config): boolean {
  return amphoraProviderEnabled(config) && config.controller_worker.amphora_driver === 'amphora_haproxy_rest_driver'
}

/** The API alone. */
export const runApi = (configFile: string | undefined): Promise<void> => runServe(configFile, ['api'])
