// bench/failover: how long clients of a VIP see no answer when an amphora
// breaks, and how many heartbeats per second the health manager takes (issue 5).
// The whole stack runs in this process (test/e2e/support/amphora-stack.ts:
// API, worker, agent with real HAProxy and keepalived, health manager with
// the default [health_manager] timings). A client loop (one GET every 20 ms,
// 300 ms timeout, new connection each) records the longest gap between two
// answers; each figure is the median of --runs.
//
// SINGLE (netns as root, else loopback):
//   - HAProxy SIGKILLed: the agent restarts it and reports the amphora failed,
//     the health manager has it replaced by a new one;
//   - namespace deleted (netns only): the agent reports it, a new amphora is built.
//   Baseline, same run: create → first 200 of a new load balancer (building an
//   amphora from nothing), so the ratio says how a failover compares with a build.
// ACTIVE_STANDBY (root only):
//   - the VIP holder's namespace killed (every process SIGKILLed, namespace deleted):
//     keepalived on the peer takes over, the lost amphora is rebuilt;
//   - clean keepalived stop on the VIP holder.
//   Baseline, same run: the VRRP master-down interval keepalived itself needs
//   (3 × advert_int + skew, measured as the time until the peer holds the VIP),
//   so the ratio says what the control plane adds on top of VRRP.
// Health manager: heartbeats/s of 1000 simulated amphorae (bench/health-manager.ts).
//
//   node --import tsx bench/failover.ts [--runs 5] [--amphorae 1000] [--hm-seconds 10]
import { loadavg } from 'node:os'
import { parseArgs } from 'node:util'
import { holdsVip, killNamespace } from '../test/e2e/support/amphora-faults.js'
import { startAmphoraStack, type AmphoraStack, type StackMode } from '../test/e2e/support/amphora-stack.js'
import { startDataplaneBackend } from '../test/e2e/support/dataplane-backends.js'
import { activeStandbyFlavor, createServedLoadBalancer, liveAmphorae } from '../test/e2e/support/served-load-balancer.js'
import { startTrafficProbe } from '../test/e2e/support/traffic-gap.js'
import { measureHealthManager } from './health-manager.js'

const { values: args } = parseArgs({
  options: { runs: { type: 'string', default: '5' }, amphorae: { type: 'string', default: '1000' }, 'hm-seconds': { type: 'string', default: '10' } },
})
const runs = Math.max(1, Math.min(20, Number(args.runs) || 5))
const isRoot = process.geteuid?.() === 0
const mode: StackMode = isRoot ? 'netns' : 'loopback'
const PORT = 80

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms))
const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1] ?? NaN

/** Polls `check` every 20 ms for at most `ms`; throws with `what` after. */
async function until(what: string, check: () => Promise<boolean> | boolean, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`)
    await sleep(20)
  }
}

const lbStatus = async (stack: AmphoraStack, lbId: string): Promise<string> =>
  (await stack.request('GET', `/v2/lbaas/loadbalancers/${lbId}`)).body.loadbalancer.provisioning_status

/** A load balancer with an HTTP listener on PORT serving `backend`; id, VIP and create → first 200 in ms. */
async function createLb(stack: AmphoraStack, backend: { host: string; port: number }, flavorId?: string) {
  const lb = await createServedLoadBalancer(stack, { name: 'bench-failover', port: PORT, backend, flavorId })
  return { id: lb.id, vip: lb.vip, ms: lb.msToFirstAnswer }
}

async function deleteLb(stack: AmphoraStack, id: string): Promise<void> {
  await stack.request('DELETE', `/v2/lbaas/loadbalancers/${id}?cascade=true`)
  await until('load balancer deleted', async () => (await stack.request('GET', `/v2/lbaas/loadbalancers/${id}`)).status === 404)
}

/** The longest gap a client saw while `breakIt` ran and `recovered` became true (then 1 s more). */
async function gapOf(vip: string, breakIt: () => Promise<void>, recovered: () => Promise<boolean>): Promise<number> {
  const probe = startTrafficProbe(vip, PORT, { maxMs: 90_000 })
  try {
    await sleep(500)
    await breakIt()
    await until('recovery', recovered, 60_000)
    await sleep(1000)
  } finally {
    const report = await probe.stop()
    if (report.ok === 0) throw new Error('no answer at all')
    // eslint-disable-next-line no-unsafe-finally
    return report.longestGapMs
  }
}

/** A SINGLE load balancer's amphora replaced after `breakIt(ampId)`; the gap. */
async function singleFailover(stack: AmphoraStack, lbId: string, vip: string, breakIt: (ampId: string) => Promise<void>): Promise<number> {
  const [old] = await liveAmphorae(stack, lbId)
  return gapOf(vip, () => breakIt(old.id), async () => {
    const amps = await liveAmphorae(stack, lbId)
    return amps.length === 1 && amps[0].id !== old.id && amps[0].status === 'ALLOCATED' && await lbStatus(stack, lbId) === 'ACTIVE'
  })
}

/** Both amphorae ALLOCATED and exactly one holding the VIP; [holder, other]. */
async function settledPair(stack: AmphoraStack, lbId: string, vip: string) {
  let pair: Awaited<ReturnType<typeof liveAmphorae>> = []
  await until('settled ACTIVE_STANDBY pair', async () => {
    const amps = await liveAmphorae(stack, lbId)
    const holders = amps.filter(a => holdsVip(a.id, vip))
    pair = holders.length === 1 && amps.length === 2 && amps.every(a => a.status === 'ALLOCATED') ? [holders[0], amps.find(a => a !== holders[0])!] : []
    return pair.length === 2 && await lbStatus(stack, lbId) === 'ACTIVE'
  })
  return pair
}

interface Row { readonly what: string; readonly samples: number[]; readonly baseline?: number[]; readonly note: string }

const rows: Row[] = []
const started = Date.now()
const stack = await startAmphoraStack({ mode })
const backend = await startDataplaneBackend('bench', stack.backendHost)
try {
  // SINGLE
  const creates: number[] = []
  const single = await createLb(stack, backend)
  creates.push(single.ms)
  for (let i = 1; i < runs; i++) {
    const extra = await createLb(stack, backend)
    creates.push(extra.ms)
    await deleteLb(stack, extra.id)
  }
  const kills: number[] = []
  for (let i = 0; i < runs; i++) {
    kills.push(await singleFailover(stack, single.id, single.vip, async ampId => {
      const pid = (await stack.agent.host.state(ampId)).loadbalancers[0]?.pid
      if (!pid) throw new Error('no HAProxy pid')
      process.kill(pid, 'SIGKILL')
    }))
    process.stderr.write(`SINGLE HAProxy SIGKILL run ${i + 1}: ${kills.at(-1)} ms\n`)
  }
  rows.push({ what: `SINGLE (${mode}): HAProxy SIGKILLed`, samples: kills, baseline: creates, note: 'baseline: create → first 200' })
  if (mode === 'netns') {
    const deletes: number[] = []
    for (let i = 0; i < runs; i++) {
      deletes.push(await singleFailover(stack, single.id, single.vip, async ampId => { killNamespace(ampId) }))
      process.stderr.write(`SINGLE namespace deleted run ${i + 1}: ${deletes.at(-1)} ms\n`)
    }
    rows.push({ what: 'SINGLE (netns): namespace killed', samples: deletes, baseline: creates, note: 'baseline: create → first 200' })
  }
  await deleteLb(stack, single.id)

  // ACTIVE_STANDBY
  if (mode === 'netns') {
    const as = await createLb(stack, backend, await activeStandbyFlavor(stack, 'bench-as'))
    const ep = { host: '127.0.0.1', port: stack.config.haproxy_amphora.bind_port }
    const clean: number[] = []
    const takeover: number[] = []
    for (let i = 0; i < runs; i++) {
      const [holder, other] = await settledPair(stack, as.id, as.vip)
      let stoppedAt = 0
      clean.push(await gapOf(as.vip, async () => {
        stoppedAt = performance.now()
        await stack.amphora.agent.vrrpAction(ep, holder.id, 'stop')
      }, async () => {
        if (!holdsVip(other.id, as.vip)) return false
        takeover.push(performance.now() - stoppedAt)
        return true
      }))
      await stack.amphora.agent.vrrpAction(ep, holder.id, 'start')
      process.stderr.write(`ACTIVE_STANDBY clean stop run ${i + 1}: ${clean.at(-1)} ms\n`)
    }
    rows.push({ what: 'ACTIVE_STANDBY: clean keepalived stop', samples: clean, baseline: takeover, note: 'baseline: stop → peer holds the VIP' })
    const hard: number[] = []
    const vrrpDown: number[] = []
    for (let i = 0; i < runs; i++) {
      const [holder, survivor] = await settledPair(stack, as.id, as.vip)
      let killedAt = 0
      let tookOver = false
      hard.push(await gapOf(as.vip, async () => {
        killedAt = performance.now()
        killNamespace(holder.id)
      }, async () => {
        if (!tookOver && holdsVip(survivor.id, as.vip)) {
          tookOver = true
          vrrpDown.push(performance.now() - killedAt)
        }
        const amps = await liveAmphorae(stack, as.id)
        return tookOver && amps.length === 2 && amps.every(a => a.status === 'ALLOCATED' && a.id !== holder.id) && await lbStatus(stack, as.id) === 'ACTIVE'
      }))
      process.stderr.write(`ACTIVE_STANDBY namespace killed run ${i + 1}: ${hard.at(-1)} ms\n`)
    }
    rows.push({ what: 'ACTIVE_STANDBY: VIP holder namespace killed', samples: hard, baseline: vrrpDown, note: 'baseline: kill → peer holds the VIP' })
    await deleteLb(stack, as.id)
  } else {
    process.stderr.write('ACTIVE_STANDBY skipped: keepalived VRRP needs network namespaces (run as root)\n')
  }
} finally {
  await stack.close()
  await backend.close()
}

const hm = await measureHealthManager({ amphorae: Number(args.amphorae) || 1000, seconds: Number(args['hm-seconds']) || 10, floodSeconds: 5 })

console.log(`\nbench/failover: ${runs} runs each, ${mode} mode, ${((Date.now() - started) / 1000).toFixed(0)} s, load average ${loadavg().map(l => l.toFixed(1)).join(' ')}`)
console.log('| scenario | longest gap, median (ms) | runs (ms) | baseline median (ms) | ratio | baseline |')
console.log('|---|--:|---|--:|--:|---|')
for (const r of rows) {
  const b = r.baseline?.length ? median(r.baseline) : NaN
  console.log(`| ${r.what} | ${median(r.samples).toFixed(0)} | ${r.samples.map(s => s.toFixed(0)).join(', ')} | ${b.toFixed(0)} | ${(median(r.samples) / b).toFixed(2)} | ${r.note} |`)
}
const { paced, flood } = hm
console.log(`\nhealth manager, ${hm.amphorae} simulated amphorae at 1 heartbeat/s each:`)
console.log('| phase | health manager hb/s | baseline hb/s (receive + verify + decode) | ratio | late |')
console.log('|---|--:|--:|--:|--:|')
console.log(`| paced | ${paced.healthManager.perSecond.toFixed(0)} | ${paced.baseline.perSecond.toFixed(0)} | ${(paced.healthManager.perSecond / paced.baseline.perSecond).toFixed(2)} | ${paced.healthManager.late ?? 0} |`)
console.log(`| flood | ${flood.healthManager.perSecond.toFixed(0)} | ${flood.baseline.perSecond.toFixed(0)} | ${(flood.healthManager.perSecond / flood.baseline.perSecond).toFixed(2)} | ${flood.healthManager.late ?? 0} |`)
process.exit(0)
