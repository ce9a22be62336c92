/**
 * What the agent does when an amphora breaks under it (its namespace
 * vanished, its keepalived died, a HAProxy died): the amphora is marked
 * failed, which its heartbeats report until the controller deletes it, and
 * where serving on would do harm its processes are stopped. The functions
 * work on AmphoraHost's entry of the amphora; the caller holds its lock.
 */
import type { Logger } from '../common/logging.js'
import { writeFailure } from './amphora-failure-file.js'
import type { AmphoraKeepalived } from './keepalived/amphora-keepalived.js'
import type { LoadBalancerHaproxy } from './lb-haproxy.js'

/** One registered amphora as AmphoraHost keeps it. */
export interface AmphoraEntry {
  netns: string | null
  readonly lbs: Map<string, LoadBalancerHaproxy>
  /** Failure reason reported in heartbeats (see markFailed), or null. */
  failed: string | null
  /** Its processes were stopped because its namespace vanished (once per agent run). */
  halted: boolean
  /** Its keepalived (ACTIVE_STANDBY); idle for other amphorae. */
  readonly keepalived: AmphoraKeepalived
}

/** Where failures are saved (the agent's base directory) and logged. */
export interface FailureContext {
  readonly base: string
  readonly log: Logger
}

/** Marks the amphora failed (saved in its directory, so a restarted agent reports it too); the first reason stays. */
export async function markFailed(c: FailureContext, ampId: string, entry: AmphoraEntry, reason: string): Promise<void> {
  if (entry.failed !== null) return
  entry.failed = reason
  c.log.error({ amphoraId: ampId, reason }, 'amphora failed')
  await writeFailure(c.base, ampId, reason)
}

/** Once per agent run: marks the amphora failed and stops its processes (retried next time if stopping fails). */
export async function namespaceVanished(c: FailureContext, ampId: string, entry: AmphoraEntry, netns: string): Promise<void> {
  if (entry.halted) return
  await markFailed(c, ampId, entry, `network namespace ${netns} vanished`)
  c.log.error({ amphoraId: ampId, netns }, 'network namespace vanished; stopping the processes of the amphora')
  await stopProcesses(c, ampId, entry)
  entry.halted = true
}

/**
 * A keepalived that died without being stopped may have left the VIP on
 * this amphora while the peer takes it too (DESIGN.md §5): the amphora is
 * marked failed and torn down (keepalived's leftovers and VIPs first, then
 * its HAProxies), so that the peer alone serves until a failover replaces it.
 */
export async function keepalivedDied(c: FailureContext, ampId: string, entry: AmphoraEntry): Promise<void> {
  await markFailed(c, ampId, entry, 'keepalived exited')
  c.log.error({ amphoraId: ampId }, 'keepalived died; tearing the amphora down')
  await stopProcesses(c, ampId, entry)
}

/**
 * Stops every process of the amphora WITHOUT removing its registration or
 * files and without marking its load balancers stopped on purpose (a
 * vanished namespace, a dead keepalived). Every step runs even when one
 * fails; the first failure is thrown at the end.
 */
export async function stopProcesses(c: FailureContext, ampId: string, entry: AmphoraEntry): Promise<void> {
  // keepalived first: the VIP leaves this amphora before its HAProxies stop
  const steps = [() => entry.keepalived.halt(), ...[...entry.lbs.values()].map((lb) => () => lb.halt())]
  let first: unknown = null
  for (const step of steps) {
    try {
      await step()
    } catch (err) {
      c.log.error({ amphoraId: ampId, err }, 'could not stop a process of the amphora')
      first ??= err
    }
  }
  if (first !== null) throw first
}
