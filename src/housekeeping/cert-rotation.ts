import type { Config } from '../common/config/schema.js'
import type { Logger } from '../common/logging.js'
import type { Runnable } from '../common/runnable.js'
import type { Database } from '../db/database.js'
import {
  ABANDONED_CLAIM_MS, claimForRotation, dueForRotation, recordAgentCertExpiration, releaseRotation, type DueAmphora,
} from '../db/repositories/cert-rotation-repository.js'
import type { CertificateInfo } from '../pki/certificate-info.js'
import { AgentCertRotator, type AgentCertRotatorConfig } from './agent-cert-rotator.js'
import { PeriodicJob } from './periodic-job.js'

/** The configuration certificate rotation reads. */
export type CertRotationConfig = AgentCertRotatorConfig & Pick<Config, 'house_keeping'>

/** Providers whose amphorae an agent serves (the noop provider's have no agent to talk to). */
export const AGENT_PROVIDERS: readonly string[] = ['amphora', 'octavia']

/** What one round did; `agents` counts agents with a due amphora, the rest count agents too. */
export interface RotationCounts {
  readonly agents: number
  /** Due amphorae found. */
  readonly amphorae: number
  readonly rotated: number
  readonly failed: number
  /** Agents left to another housekeeping process that holds some of their amphorae. */
  readonly skipped: number
}

/** Rotates the certificate of the agent at `host`; resolves with the new one's serial and end of validity. */
export type RotateAgent = (host: string, signal: AbortSignal) => Promise<Pick<CertificateInfo, 'serialNumber' | 'notAfter'>>

/** Stored time format (src/common/time.ts). */
const stored = (d: Date): string => d.toISOString().slice(0, 23)

/**
 * Housekeeping's certificate rotation (Octavia's `CertRotation`): every
 * `[house_keeping] cert_interval` seconds (jittered by PeriodicJob), the
 * amphorae Octavia would pick — not DELETED or PENDING_DELETE, `cert_busy`
 * false, `cert_expiration` before now + `cert_expiry_buffer` — limited to
 * agent-served providers with a known agent address, grouped per agent
 * (`lb_network_ip`: one agent serves, with one certificate, every amphora of
 * its host). For each agent, `cert_rotate_threads` at a time:
 *
 * 1. its due amphorae are claimed (`cert_busy` set in one conditional
 *    UPDATE); when another process got some of them first, ours are released
 *    and that agent is left to it. A claim older than ABANDONED_CLAIM_MS
 *    (its process died mid-rotation) counts as free again;
 * 2. the agent's certificate is rotated (AgentCertRotator);
 * 3. every live amphora of that agent gets the new `cert_expiration`;
 * 4. `cert_busy` is cleared — also when rotation failed, which is logged and
 *    leaves `cert_expiration` as it was, so the next round tries again.
 */
export class CertRotation implements Runnable {
  readonly name = 'housekeeping-cert-rotation'
  readonly #settings: Config['house_keeping']
  readonly #database: Database
  readonly #log: Logger
  readonly #rotate: RotateAgent
  readonly #job: PeriodicJob
  readonly stopped: Promise<void>

  /**
   * `deps.rotate` replaces the real AgentCertRotator: the amphora driver's own
   * renewal (the noop driver has no agent to talk to), or tests of the bookkeeping.
   */
  constructor(config: CertRotationConfig, deps: { database: Database; log: Logger; rotate?: RotateAgent }) {
    this.#settings = config.house_keeping
    this.#database = deps.database
    this.#log = deps.log.child({ component: 'housekeeping' })
    let close = async (): Promise<void> => undefined
    if (deps.rotate !== undefined) {
      this.#rotate = deps.rotate
    } else {
      const rotator = new AgentCertRotator(config)
      this.#rotate = (host, signal) => rotator.rotate({ host }, signal)
      close = () => rotator.close()
    }
    this.#job = new PeriodicJob({
      name: this.name,
      intervalMs: config.house_keeping.cert_interval * 1000,
      log: this.#log,
      run: async (signal) => ({ ...await this.runOnce(new Date(), signal) }),
    })
    this.stopped = this.#job.stopped.then(close)
  }

  start(signal: AbortSignal): Promise<void> { return this.#job.start(signal) }

  /** One round at `now`. Throws only when the due amphorae cannot be read. */
  async runOnce(now: Date = new Date(), signal: AbortSignal = new AbortController().signal): Promise<RotationCounts> {
    const dueBefore = stored(new Date(now.getTime() + this.#settings.cert_expiry_buffer * 1000))
    const staleBefore = stored(new Date(Date.now() - ABANDONED_CLAIM_MS))
    const due = await dueForRotation(this.#database.db, dueBefore, staleBefore, AGENT_PROVIDERS)
    const byAgent = new Map<string, DueAmphora[]>()
    for (const a of due) byAgent.set(a.lb_network_ip, [...(byAgent.get(a.lb_network_ip) ?? []), a])
    const outcomes: ('rotated' | 'failed' | 'skipped')[] = []
    const queue = [...byAgent]
    const worker = async (): Promise<void> => {
      for (let next = queue.shift(); next !== undefined && !signal.aborted; next = queue.shift()) {
        outcomes.push(await this.#rotateAgent(next[0], next[1], { dueBefore, staleBefore }, signal))
      }
    }
    await Promise.all(Array.from({ length: Math.min(this.#settings.cert_rotate_threads, queue.length) }, worker))
    const count = (o: string): number => outcomes.filter((x) => x === o).length
    return { agents: byAgent.size, amphorae: due.length, rotated: count('rotated'), failed: count('failed'), skipped: count('skipped') }
  }

  /** Claim, rotate, record, release for one agent; never throws. */
  async #rotateAgent(
    host: string, amphorae: readonly DueAmphora[], times: { dueBefore: string; staleBefore: string }, signal: AbortSignal,
  ): Promise<'rotated' | 'failed' | 'skipped'> {
    const db = this.#database.db
    const ids = amphorae.map((a) => a.id)
    const log = this.#log.child({ agent: host, amphoraIds: ids })
    let claimed: string[] = []
    try {
      claimed = await claimForRotation(db, ids, times.dueBefore, times.staleBefore)
      if (claimed.length < ids.length) {
        log.info({ claimed: claimed.length }, 'another process holds amphorae of this agent; leaving its certificate to it')
        return 'skipped'
      }
      const previous = amphorae[0]?.cert_expiration
      const info = await this.#rotate(host, signal)
      const updated = await recordAgentCertExpiration(db, host, stored(info.notAfter), AGENT_PROVIDERS)
      log.info({ serial: info.serialNumber, notAfter: info.notAfter, previousExpiration: previous, updated }, 'agent certificate rotated')
      return 'rotated'
    } catch (err) {
      log.error({ err }, 'agent certificate rotation failed; retrying next round')
      return 'failed'
    } finally {
      await releaseRotation(db, claimed)
        .catch((err: unknown) => log.error({ err }, 'could not clear cert_busy; those amphorae wait for an operator'))
    }
  }
}
