import type { Bus } from '../bus/bus.js'
import type { Config } from '../common/config/schema.js'
import type { Logger } from '../common/logging.js'
import type { Runnable } from '../common/runnable.js'
import type { Database } from '../db/database.js'
import { FailoverSubmitter, type FailoverCounters } from './failover-submitter.js'
import { HeartbeatProcessor, type ProcessorCounters } from './heartbeat-processor.js'
import { HeartbeatReceiver, type ReceiverDropReason } from './heartbeat-receiver.js'
import { StaleAmphoraScan, type ScanCounters } from './stale-amphora-scan.js'

export interface HealthManagerDeps {
  readonly database: Database
  /** The process's bus (in-process, or RabbitMQ reaching workers elsewhere); failover jobs are published on it. */
  readonly bus?: Bus
  readonly log: Logger
  /** The HMAC key (resolveHeartbeatKey). */
  readonly heartbeatKey: string
}

/** Knobs that are not configuration (tests and benchmarks). */
export interface HealthManagerTuning {
  /** See HeartbeatProcessorOptions.batchWindowMs (default 100 ms). */
  readonly batchWindowMs?: number
  /** Minimum time between two repeated warnings (default 10 s). */
  readonly logIntervalMs?: number
  /** Largest datagram accepted (default 64 KiB; only a lower limit is observable over IPv4). */
  readonly maxPacketBytes?: number
}

/** Every counter of the health manager's parts. */
export interface HealthManagerCounters {
  readonly receiver: { readonly dropped: Readonly<Record<ReceiverDropReason, number>>; readonly delivered: number }
  readonly processor: ProcessorCounters
  readonly scan: ScanCounters
  readonly failovers: FailoverCounters
}

/**
 * Octavia's health manager (controlplane.md §5–6, DESIGN.md §6): the UDP
 * heartbeat receiver (HMAC, replays), the heartbeat processor (liveness,
 * operating statuses, listener statistics, in batches) and the stale scan
 * (failover of silent amphorae, FAILOVER_STOPPED circuit breaker, start
 * grace). Failovers are `failover_amphora` jobs for the worker (published
 * on `bus`, which reaches workers of this process, or of every process with
 * RabbitMQ; otherwise they find the job by polling the job table).
 *
 * Where it differs from Octavia, and why:
 * - An amphora whose heartbeat carries `failed` (octavia-ts extension) is
 *   failed over at once, without the timeout, the grace or the threshold:
 *   its agent saw it break, which no network storm can fake.
 * - The threshold counts stale amphorae that could be failed over
 *   (ALLOCATED or FAILOVER_STOPPED), not every stale health row.
 * - Agents send each heartbeat to every health manager, not round-robin:
 *   several health managers may share one database (claims are atomic,
 *   statistics deltas are added once, see addListenerStatistics).
 *
 * Settings are `[health_manager]` in seconds; fractions are honoured (tests).
 */
export class HealthManager implements Runnable {
  readonly name = 'health-manager'
  readonly #receiver: HeartbeatReceiver
  readonly #processor: HeartbeatProcessor
  readonly #scan: StaleAmphoraScan
  readonly #submitter: FailoverSubmitter
  readonly #log: Logger
  readonly stopped: Promise<void>

  constructor(settings: Config['health_manager'], deps: HealthManagerDeps, tuning: HealthManagerTuning = {}) {
    const log = deps.log.child({ component: 'health-manager' })
    this.#log = log
    this.#submitter = new FailoverSubmitter({ database: deps.database, bus: deps.bus, log, logIntervalMs: tuning.logIntervalMs })
    this.#scan = new StaleAmphoraScan({
      heartbeatTimeoutMs: settings.heartbeat_timeout * 1000,
      healthCheckIntervalMs: settings.health_check_interval * 1000,
      failoverThreshold: settings.failover_threshold,
      failoverThreads: settings.failover_threads,
    }, { database: deps.database, submitter: this.#submitter, log })
    this.#processor = new HeartbeatProcessor({
      database: deps.database, log, heartbeatIntervalMs: settings.heartbeat_interval * 1000,
      batchWindowMs: tuning.batchWindowMs, logIntervalMs: tuning.logIntervalMs,
      onFailed: (amphoraId, _lbId, reason) => {
        void this.#submitter.submit(amphoraId, { kind: 'failed', now: Date.now() }, 'failed', reason)
      },
      onWriteFailed: () => this.#scan.postpone(),
    })
    this.#receiver = new HeartbeatReceiver({
      bindIp: settings.bind_ip, bindPort: settings.bind_port, heartbeatKey: deps.heartbeatKey, log,
      logIntervalMs: tuning.logIntervalMs, maxPacketBytes: tuning.maxPacketBytes,
      onHeartbeat: (msg, meta) => this.#processor.submit(msg, meta),
    })
    this.stopped = Promise.all([this.#receiver.stopped, this.#processor.stopped, this.#scan.stopped]).then(() => undefined)
  }

  /** The bound UDP address (after start). */
  get address(): { address: string; port: number } {
    return this.#receiver.address
  }

  get counters(): HealthManagerCounters {
    return {
      receiver: this.#receiver.counters, processor: this.#processor.counters,
      scan: this.#scan.counters, failovers: this.#submitter.counters,
    }
  }

  /** Writes the heartbeats queued now (tests and benchmarks). */
  flush(): Promise<void> {
    return this.#processor.flush()
  }

  /** One stale scan now, without waiting for the grace (tests). */
  scanOnce(now?: number): ReturnType<StaleAmphoraScan['runOnce']> {
    return this.#scan.runOnce(now)
  }

  /** Binds the socket, starts processing and the stale scan (first one after the grace). Resolves once listening. */
  async start(signal: AbortSignal): Promise<void> {
    await this.#processor.start(signal)
    await this.#receiver.start(signal)
    await this.#scan.start(signal)
    this.#log.info({ address: this.address, firstScanAt: new Date(this.#scan.notBefore).toISOString() }, 'health manager started')
  }
}
