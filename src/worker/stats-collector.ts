import type { Kysely } from 'kysely'
import type { Logger } from '../common/logging.js'
import type { Runnable } from '../common/runnable.js'
import { allocatedAmphorae, type AllocatedAmphora } from '../db/repositories/amphora-repository.js'
import { loadLoadBalancerView } from '../db/repositories/load-balancer-view-repository.js'
import { readOperatingStatuses, writeOperatingStatuses } from '../db/repositories/operating-status-repository.js'
import type { DB } from '../db/schema.js'
import type { AmphoraStats } from '../drivers/amphora/agent-api.js'
import { endpointOf } from '../drivers/provider/amphora/amphora-config-sync.js'
import type { AmphoraFlowDeps } from '../drivers/provider/amphora/amphora-flow-deps.js'
import { fromStats } from '../drivers/provider/amphora/operating-status.js'
import { ProvisioningStatus } from '../model/statuses.js'
import { sleep } from './engine/sleep.js'

export interface StatsCollectorOptions {
  readonly db: Kysely<DB>
  /** The amphora provider's drivers (agent client, counter accumulator); called on the first round. */
  readonly amphora: () => AmphoraFlowDeps
  readonly log: Logger
  /** Providers whose load balancers run on agents (`amphora`, `octavia`). */
  readonly providers: readonly string[]
  /** Milliseconds between two rounds. */
  readonly intervalMs: number
}

/**
 * Reads the statistics of every ALLOCATED amphora of the amphora providers' load balancers from its agent
 * (`GET …/stats`, HAProxy's `show stat`) every `intervalMs` and
 *
 * - adds them to `listener_statistics` (ListenerStatsAccumulator: counters
 *   survive HAProxy reloads), which the listener and load balancer `stats`
 *   APIs sum;
 * - sets the operating statuses of load balancers that are ACTIVE from what
 *   HAProxy reports (operating-status.ts `fromStats`, Octavia's health
 *   manager rules). Load balancers with a flow in progress are left alone.
 *
 * Until the health manager exists (DESIGN.md §6) this is how operating
 * status follows the data plane. An amphora whose agent does not answer is
 * skipped for this round (logged). `start` resolves at once; on abort the
 * current round finishes, then `stopped` resolves.
 */
export class StatsCollector implements Runnable {
  readonly name = 'stats-collector'
  readonly #o: StatsCollectorOptions
  #resolveStopped!: () => void
  readonly stopped = new Promise<void>(r => { this.#resolveStopped = r })

  constructor(options: StatsCollectorOptions) {
    this.#o = Object.freeze({ ...options })
  }

  async start(signal: AbortSignal): Promise<void> {
    void this.#loop(signal).finally(() => this.#resolveStopped())
  }

  async #loop(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        await sleep(this.#o.intervalMs, signal)
      } catch {
        return
      }
      try {
        await this.collectOnce(signal)
      } catch (err) {
        if (!signal.aborted) this.#o.log.warn({ err }, 'statistics round failed')
      }
    }
  }

  /** One round over every ALLOCATED amphora (tests call it directly). */
  async collectOnce(signal: AbortSignal = new AbortController().signal): Promise<void> {
    const amphorae = await allocatedAmphorae(this.#o.db, this.#o.providers)
    if (amphorae.length === 0) return
    const d = this.#o.amphora()
    const byLb = new Map<string, AmphoraStats[]>()
    for (const amp of amphorae) {
      const stats = await this.#read(d, amp, signal)
      if (stats === null) continue
      byLb.set(amp.loadBalancerId, [...(byLb.get(amp.loadBalancerId) ?? []), stats])
    }
    for (const [lbId, stats] of byLb) await this.#updateStatuses(lbId, stats)
  }

  async #read(d: AmphoraFlowDeps, amp: AllocatedAmphora, signal: AbortSignal): Promise<AmphoraStats | null> {
    try {
      const ep = endpointOf(d, { lb_network_ip: amp.lbNetworkIp })
      return await d.stats.collect(this.#o.db, amp.id, () => d.agent.stats(ep, amp.id, { signal, maxRetries: 1 }))
    } catch (err) {
      if (!signal.aborted) this.#o.log.warn({ err, amphoraId: amp.id, lbId: amp.loadBalancerId }, 'no statistics from the amphora')
      return null
    }
  }

  async #updateStatuses(lbId: string, stats: readonly AmphoraStats[]): Promise<void> {
    await this.#o.db.transaction().execute(async tx => {
      const lb = await tx.selectFrom('load_balancer').select('provisioning_status').where('id', '=', lbId).executeTakeFirst()
      if (lb?.provisioning_status !== ProvisioningStatus.ACTIVE) return
      const view = await loadLoadBalancerView(tx, lbId)
      const current = await readOperatingStatuses(tx, lbId)
      if (!view || !current) return
      await writeOperatingStatuses(tx, lbId, current, fromStats(view, current, stats))
    })
  }
}
