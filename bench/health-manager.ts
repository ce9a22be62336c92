// Health manager throughput (issue 5): N simulated amphorae (rows in a fresh
// SQLite file: one load balancer each with one listener, pool and two
// members), each sending one signed v3 heartbeat per second over UDP to a
// real HealthManager, with listener traffic in every heartbeat and 1 % of
// them reporting a member DOWN (status writes). Two phases per target:
//
// - paced: N heartbeats/s for --seconds: does it keep up (processed/s,
//   heartbeats processed too late, main event-loop utilisation)?
// - flood: as fast as a sender thread can sign them, for --flood-seconds:
//   how many heartbeats/s can it process at most?
//
// The baseline is a bare HeartbeatReceiver (receive + HMAC + decode, no
// database) measured the same way in the same run; ratios are ours/baseline.
//
//   node --import tsx bench/health-manager.ts [--amphorae 1000] [--seconds 10] [--flood-seconds 5]
import { fork } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import { silentLogger } from '../src/common/logging.js'
import { openDatabase, type Database } from '../src/db/database.js'
import { migrateToLatest } from '../src/db/migrate.js'
import { HealthManager } from '../src/health-manager/health-manager.js'
import { HeartbeatReceiver } from '../src/health-manager/heartbeat-receiver.js'
import { seedLoadBalancer } from '../test/support/health-fixtures.js'
import { testHealthSettings, TEST_HEARTBEAT_KEY } from '../test/support/health-manager-harness.js'
import type { LoadSpec, SimulatedAmphora } from './heartbeat-load.js'

const LOAD_SCRIPT = new URL('./heartbeat-load.ts', import.meta.url).pathname

export interface HealthBenchOptions {
  readonly amphorae?: number
  /** Seconds of the paced phase (N heartbeats/s). Default 10. */
  readonly seconds?: number
  /** Seconds of the flood phase. Default 5. */
  readonly floodSeconds?: number
}

/** One target in one phase. */
export interface PhaseResult {
  readonly sent: number
  /** Heartbeats fully processed within the phase (for the health manager: written to the database). */
  readonly processed: number
  readonly perSecond: number
  /** Fraction of the phase the main event loop was busy (0-1; inflated when other processes compete for the CPU). */
  readonly eventLoopUtilization: number
  /** CPU time of this process (user + system) per processed heartbeat, in µs: the figure least disturbed by other load. */
  readonly cpuMicrosPerHeartbeat: number
  /** Health manager only: heartbeats processed a heartbeat interval or more after arrival (liveness not recorded). */
  readonly late?: number
}

export interface HealthBenchResult {
  readonly amphorae: number
  readonly paced: { readonly healthManager: PhaseResult; readonly baseline: PhaseResult }
  readonly flood: { readonly healthManager: PhaseResult; readonly baseline: PhaseResult }
}

/** Starts the load process (bench/heartbeat-load.ts); `started` resolves when it sends its first heartbeat. */
function startLoad(spec: LoadSpec): { started: Promise<void>; done: Promise<{ sent: number; lastSeq: number }> } {
  const child = fork(LOAD_SCRIPT, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  let onStarted!: () => void
  const started = new Promise<void>(r => { onStarted = r })
  const done = new Promise<{ sent: number; lastSeq: number }>((resolve, reject) => {
    child.on('message', m => { if (m === 'started') onStarted(); else resolve(m as { sent: number; lastSeq: number }) })
    child.once('error', reject)
    child.once('exit', code => { if (code !== 0) reject(new Error(`load process exited with ${code}`)) })
  })
  child.send(spec)
  return { started, done }
}

/** Seeds `n` load balancers with one amphora each, in one transaction. */
async function seed(database: Database, n: number): Promise<SimulatedAmphora[]> {
  return database.db.transaction().execute(async tx => {
    const out: SimulatedAmphora[] = []
    for (let i = 0; i < n; i++) {
      const lb = await seedLoadBalancer(tx)
      out.push({ id: lb.amphoraIds[0]!, listenerIds: lb.listenerIds, poolIds: lb.poolIds, memberIds: lb.memberIds })
    }
    return out
  })
}

interface Target {
  readonly port: number
  processed(): number
  late(): number
  /** Processes what was received (health manager: writes its queue). */
  drain(): Promise<void>
  stop(): Promise<void>
}

async function startBaseline(): Promise<Target> {
  let delivered = 0
  const abort = new AbortController()
  const r = new HeartbeatReceiver({
    bindIp: '127.0.0.1', bindPort: 0, heartbeatKey: TEST_HEARTBEAT_KEY, log: silentLogger(), onHeartbeat: () => { delivered++ },
  })
  await r.start(abort.signal)
  return { port: r.address.port, processed: () => delivered, late: () => 0, drain: async () => {}, stop: async () => { abort.abort(); await r.stopped } }
}

async function startHealthManager(database: Database): Promise<Target> {
  const abort = new AbortController()
  const hm = new HealthManager(testHealthSettings({ heartbeat_timeout: 3600 }), { database, log: silentLogger(), heartbeatKey: TEST_HEARTBEAT_KEY })
  await hm.start(abort.signal)
  return {
    port: hm.address.port, processed: () => hm.counters.processor.processed, late: () => hm.counters.processor.late,
    drain: () => hm.flush(), stop: async () => { abort.abort(); await hm.stopped },
  }
}

/** One phase against one target: load for `seconds`, count what was processed meanwhile. */
async function phase(target: Target, amphorae: SimulatedAmphora[], rate: number, seconds: number, seqStart: number): Promise<PhaseResult & { lastSeq: number }> {
  const load = startLoad({ port: target.port, key: TEST_HEARTBEAT_KEY, amphorae, rate, seconds, seqStart, flapPercent: 1 })
  await load.started
  const p0 = target.processed()
  const late0 = target.late()
  const elu0 = performance.eventLoopUtilization()
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  const sent = await load.done
  // Paced: the last batch window is still queued; write it. Flood: count only what was done in time.
  if (rate > 0) await target.drain()
  const ms = performance.now() - t0
  const elu = performance.eventLoopUtilization(elu0)
  const cpu = process.cpuUsage(cpu0)
  const processed = target.processed() - p0
  return {
    sent: sent.sent, processed, perSecond: processed / (ms / 1000), eventLoopUtilization: elu.utilization,
    cpuMicrosPerHeartbeat: processed === 0 ? NaN : (cpu.user + cpu.system) / processed,
    late: target.late() - late0, lastSeq: sent.lastSeq,
  }
}

/**
 * The measurement (see the file comment): a fresh SQLite database with
 * `amphorae` load balancers, then paced and flood phases against the
 * baseline receiver and the health manager. Exported for other benchmarks
 * (bench/failover.ts).
 */
export async function measureHealthManager(o: HealthBenchOptions = {}): Promise<HealthBenchResult> {
  const n = o.amphorae ?? 1000
  const seconds = o.seconds ?? 10
  const floodSeconds = o.floodSeconds ?? 5
  const dir = mkdtempSync(join(tmpdir(), 'hm-bench-'))
  const database = openDatabase(`sqlite:///${join(dir, 'octavia.sqlite')}`)
  try {
    await migrateToLatest(database.db)
    const amphorae = await seed(database, n)
    let seq = 1
    const run = async (start: () => Promise<Target>, rate: number, secs: number): Promise<PhaseResult> => {
      const target = await start()
      try {
        const { lastSeq, ...r } = await phase(target, amphorae, rate, secs, seq)
        seq = lastSeq + 1
        return r
      } finally {
        await target.stop()
      }
    }
    const pacedBaseline = await run(startBaseline, n, seconds)
    const pacedHm = await run(() => startHealthManager(database), n, seconds)
    const floodBaseline = await run(startBaseline, 0, floodSeconds)
    const floodHm = await run(() => startHealthManager(database), 0, floodSeconds)
    return { amphorae: n, paced: { healthManager: pacedHm, baseline: pacedBaseline }, flood: { healthManager: floodHm, baseline: floodBaseline } }
  } finally {
    await database.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

function print(r: HealthBenchResult, command: string): void {
  const f = (x: number, d = 0) => x.toFixed(d)
  const row = (name: string, p: PhaseResult) => `| ${name.padEnd(34)} | ${String(p.sent).padStart(7)} | ${String(p.processed).padStart(9)} | ` +
    `${f(p.perSecond).padStart(6)} | ${f(p.cpuMicrosPerHeartbeat).padStart(9)} | ${f(p.eventLoopUtilization * 100, 1).padStart(10)} | ${String(p.late ?? '—').padStart(5)} |`
  const { paced, flood } = r
  const out = [
    `command: ${command}`,
    `machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, load average ${loadavg().map(l => l.toFixed(1)).join(' ')}; ` +
      `SQLite file database; ${r.amphorae} amphorae, 1 heartbeat/s each`,
    '',
    '| phase / target                     |    sent | processed | hb/s   | CPU µs/hb | main ELU % |  late |',
    '|------------------------------------|--------:|----------:|-------:|----------:|-----------:|------:|',
    row('paced: baseline (recv+HMAC+decode)', paced.baseline),
    row('paced: health manager', paced.healthManager),
    row('flood: baseline (recv+HMAC+decode)', flood.baseline),
    row('flood: health manager', flood.healthManager),
    '',
    `paced: the health manager processed ${f(paced.healthManager.perSecond)} hb/s with ${r.amphorae} offered per second ` +
      `(${paced.healthManager.late ?? 0} late); CPU per heartbeat ${f(paced.healthManager.cpuMicrosPerHeartbeat)} µs vs ` +
      `baseline ${f(paced.baseline.cpuMicrosPerHeartbeat)} µs (ours/baseline ${f(paced.healthManager.cpuMicrosPerHeartbeat / paced.baseline.cpuMicrosPerHeartbeat, 2)}), ` +
      `i.e. about ${f(1e6 / paced.healthManager.cpuMicrosPerHeartbeat)} hb/s per core`,
    `flood: health manager ${f(flood.healthManager.perSecond)} hb/s vs baseline ${f(flood.baseline.perSecond)} hb/s ` +
      `(ours/baseline ${f(flood.healthManager.perSecond / flood.baseline.perSecond, 2)}; the baseline is bounded by the sender)`,
  ]
  process.stdout.write(`${out.join('\n')}\n`)
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { amphorae: { type: 'string' }, seconds: { type: 'string' }, 'flood-seconds': { type: 'string' } } })
  const result = await measureHealthManager({
    amphorae: values.amphorae ? Number(values.amphorae) : undefined,
    seconds: values.seconds ? Number(values.seconds) : undefined,
    floodSeconds: values['flood-seconds'] ? Number(values['flood-seconds']) : undefined,
  })
  print(result, `node --import tsx bench/health-manager.ts ${process.argv.slice(2).join(' ')}`.trim())
}
