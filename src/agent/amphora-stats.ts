/**
 * The statistics of one amphora: `show stat` of each of its running
 * HAProxies (one per load balancer), merged into the heartbeat-shaped
 * AmphoraStats with absolute counters. Shared by the stats route and the
 * heartbeat sender.
 */
import type { AmphoraStats } from '../amphora-api/agent-api.js'
import { addStatRows, parseShowStat } from './haproxy/show-stat.js'
import { socketCommand } from './haproxy/runtime-socket.js'

/** Where one load balancer's HAProxy answers `show stat`. */
export interface StatsSource {
  readonly lbId: string
  readonly statsSocket: string
}

/** Merged statistics, and the HAProxies that did not answer (their rows are missing). */
export interface AmphoraStatsReading {
  readonly stats: AmphoraStats
  readonly failures: readonly { readonly lbId: string; readonly error: Error }[]
}

type MutableStats = { listeners: Record<string, AmphoraStats['listeners'][string]>; pools: Record<string, AmphoraStats['pools'][string]> }

/**
 * Reads and merges `show stat` of every source, one after the other. A
 * HAProxy that does not answer within `timeoutMs` (default 5 s), or whose
 * answer does not parse, is left out and listed in `failures` (the caller
 * decides how loudly to log it); never throws.
 */
export async function readAmphoraStats(sources: readonly StatsSource[], timeoutMs?: number): Promise<AmphoraStatsReading> {
  const out: MutableStats = { listeners: {}, pools: {} }
  const failures: { lbId: string; error: Error }[] = []
  for (const s of sources) {
    try {
      addStatRows(parseShowStat(await socketCommand(s.statsSocket, 'show stat', timeoutMs)), out)
    } catch (err) {
      failures.push({ lbId: s.lbId, error: err as Error })
    }
  }
  return { stats: out, failures }
}
