// bench/dataplane: the amphora data plane of a real `octavia-ts serve` (built
// dist, amphora provider, real HAProxy), from one run on this machine:
//   (a) POST of a fully populated load balancer → first 200 through its VIP (median of N; target ≤ 1 s)
//   (b) req/s, p50, p99 through the LB ÷ the same through a hand-written HAProxy
//       config with the same members, in the same namespace (target ≥ 0.97)
//   (c) member add / delete on a live LB → LB and pool ACTIVE again (median; target ≤ 100 ms)
// See docs/benchmarks.md.
//
//   node --import tsx bench/dataplane.ts [--creates 10] [--churn 20] [--seconds 3]
//        [--load-rounds 4] [--connections 16] [--node-client] [--mode netns|loopback]
//        [--baseline-defaults 'option splice-request;option splice-response']
//
// --baseline-defaults adds `;`-separated lines to the hand-written config's
// `defaults` (to find out which option of the generated config costs what).
//
// Root: netns compute driver by default (its own network 10.213.<n>.0/24 on a bridge of
// its own); otherwise loopback. Starts its own service on a temporary config and
// state dir, and removes everything at the end (LBs, service, members, bridge).
import { cpus, loadavg } from 'node:os'
import { parseArgs } from 'node:util'
import { httpGet } from '../test/e2e/support/amphora-backends.js'
import type { HttpClient } from '../test/e2e/support/http-client.js'
import { startBaselineHaproxy, type BaselineHaproxy } from './dataplane-baseline.js'
import { loadGenerator, type HttpLoadResult } from './dataplane-load.js'
import {
  active, aggregate, amphoraNetns, boundedInt, deleteLb, LBS, median, ms, p90, rigMode, sleep, startRig, type Member, type Rig,
} from './dataplane-rig.js'

const { values: args } = parseArgs({
  options: {
    creates: { type: 'string', default: '10' },
    churn: { type: 'string', default: '20' },
    seconds: { type: 'string', default: '3' },
    'load-rounds': { type: 'string', default: '4' },
    connections: { type: 'string', default: '16' },
    'node-client': { type: 'boolean', default: false },
    'baseline-defaults': { type: 'string' },
    mode: { type: 'string' },
  },
})
const int = boundedInt
const creates = int(args.creates, 10, 1, 100)
const churnRounds = int(args.churn, 20, 1, 500)
const seconds = int(args.seconds, 3, 1, 60)
const loadRounds = int(args['load-rounds'], 4, 1, 20)
const connections = int(args.connections, 16, 1, 512)

const mode = rigMode(args.mode)
const LB_PORT = mode === 'netns' ? 80 : 10080
const BASE_PORT = LB_PORT + 1

/** Polls `GET http://vip:port/` until it answers 200; returns ms since `t0` (performance.now()). */
async function firstOk(vip: string, port: number, t0: number, limitMs = 30000): Promise<number> {
  while (performance.now() - t0 < limitMs) {
    try {
      if ((await httpGet(vip, port, '/', false, 100)).status === 200) return performance.now() - t0
    } catch { /* not yet */ }
    await sleep(5)
  }
  throw new Error(`http://${vip}:${port}/ did not answer 200 within ${limitMs} ms`)
}

const lbBody = (subnetId: string, members: readonly Member[], name: string) => ({
  loadbalancer: {
    name, vip_subnet_id: subnetId,
    listeners: [{
      protocol: 'HTTP', protocol_port: LB_PORT,
      default_pool: { name: 'p', protocol: 'HTTP', lb_algorithm: 'ROUND_ROBIN', members: members.map(m => ({ address: m.host, protocol_port: m.port })) },
    }],
  },
})

/** (a) POST → first 200 through the VIP, `creates` times; keeps the last load balancer. */
async function createToFirst200(api: HttpClient, subnetId: string, members: readonly Member[], live: Set<string>) {
  const first200: number[] = []
  const toActive: number[] = []
  let kept: any = null
  for (let i = 0; i < creates; i++) {
    const t0 = performance.now()
    const r = await api.request('POST', LBS, lbBody(subnetId, members, `bench-${i}`))
    if (r.status !== 201) throw new Error(`POST ${LBS}: ${r.status} ${JSON.stringify(r.body)}`)
    const lb = r.body.loadbalancer
    live.add(lb.id)
    const [okAt, activeAt] = await Promise.all([
      firstOk(lb.vip_address, LB_PORT, t0),
      active(api, `${LBS}/${lb.id}`).then(() => performance.now() - t0),
    ])
    first200.push(okAt)
    toActive.push(activeAt)
    if (i === creates - 1) { kept = lb; break }
    await deleteLb(api, lb.id)
    live.delete(lb.id)
  }
  return { first200, toActive, lb: kept }
}

/** (b) the LB against the hand-written HAProxy, alternating rounds with the same generator. */
async function throughput(api: HttpClient, lb: any, members: readonly Member[]) {
  const netns = await amphoraNetns(api, mode, lb.id)
  const base: BaselineHaproxy = await startBaselineHaproxy({
    haproxyCmd: 'haproxy', netns, bindHost: lb.vip_address, bindPort: BASE_PORT, backends: members,
    extraDefaults: (args['baseline-defaults'] ?? '').split(';').map(l => l.trim()).filter(Boolean),
  })
  const gen = loadGenerator(args['node-client'])
  const lbUrl = `http://${lb.vip_address}:${LB_PORT}/`
  const baseUrl = `http://${lb.vip_address}:${BASE_PORT}/`
  try {
    if ((await httpGet(lb.vip_address, BASE_PORT)).status !== 200) throw new Error('baseline haproxy does not serve')
    await gen.run(lbUrl, { connections, seconds: 1 }) // warm-up
    await gen.run(baseUrl, { connections, seconds: 1 })
    const ours: HttpLoadResult[] = []
    const floor: HttpLoadResult[] = []
    for (let i = 0; i < loadRounds; i++) {
      // Alternate which goes first, so drift of the shared machine hits both alike.
      if (i % 2 === 0) { ours.push(await gen.run(lbUrl, { connections, seconds })); floor.push(await gen.run(baseUrl, { connections, seconds })) }
      else { floor.push(await gen.run(baseUrl, { connections, seconds })); ours.push(await gen.run(lbUrl, { connections, seconds })) }
    }
    return { generator: gen.name, ours, floor, baseConfig: base.config }
  } finally {
    await base.stop()
  }
}

/** (c) one member added then deleted, `churnRounds` times, each until the LB and the pool are ACTIVE. */
async function memberChurn(api: HttpClient, lb: any, extra: Member) {
  const pool = (await api.request('GET', `/v2/lbaas/pools?loadbalancer_id=${lb.id}`)).body.pools[0]
  const lbPath = `${LBS}/${lb.id}`
  const poolPath = `/v2/lbaas/pools/${pool.id}`
  const settled = async () => { await active(api, lbPath); await active(api, poolPath) }
  const adds: number[] = []
  const deletes: number[] = []
  for (let i = 0; i < churnRounds; i++) {
    let t = performance.now()
    const m = await api.request('POST', `${poolPath}/members`, { member: { address: extra.host, protocol_port: extra.port, name: `churn-${i}` } })
    if (m.status !== 201) throw new Error(`member create: ${m.status} ${JSON.stringify(m.body)}`)
    await settled()
    adds.push(performance.now() - t)
    t = performance.now()
    const d = await api.request('DELETE', `${poolPath}/members/${m.body.member.id}`)
    if (d.status !== 204) throw new Error(`member delete: ${d.status} ${JSON.stringify(d.body)}`)
    await settled()
    deletes.push(performance.now() - t)
  }
  return { adds, deletes }
}

async function main(): Promise<void> {
  const loadBefore = loadavg()
  let rig: Rig | null = null
  try {
    rig = await startRig(mode)
    const { api, subnetId, live } = rig
    const members: Member[] = []
    for (const name of ['m1', 'm2', 'churn']) members.push(await rig.startMember(name))
    const pair = members.slice(0, 2)

    const a = await createToFirst200(api, subnetId, pair, live)
    const b = await throughput(api, a.lb, pair)
    const c = await memberChurn(api, a.lb, members[2])
    const loadAfter = loadavg()

    const ours = aggregate(b.ours)
    const floor = aggregate(b.floor)
    const both = [...c.adds, ...c.deletes]
    const out: string[] = []
    out.push(`command: node --import tsx bench/dataplane.ts ${process.argv.slice(2).join(' ')}`.trim())
    out.push(`machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}; load average ${loadBefore.map(x => x.toFixed(2)).join(' ')} before, ${loadAfter.map(x => x.toFixed(2)).join(' ')} after`)
    out.push(`mode: ${rig.description}, ${new Date().toISOString()}`)
    out.push('')
    out.push(`(a) POST fully populated LB → first 200 through the VIP, ${creates} creates:`)
    out.push(`    median ${ms(median(a.first200))}, p90 ${ms(p90(a.first200))}, min ${ms(Math.min(...a.first200))}, max ${ms(Math.max(...a.first200))} (target ≤ 1000 ms)`)
    out.push(`    (POST → provisioning_status ACTIVE: median ${ms(median(a.toActive))})`)
    out.push(`    all: ${a.first200.map(x => x.toFixed(0)).join(' ')}`)
    out.push('')
    out.push(`(b) throughput, ${b.generator}, ${connections} connections, ${loadRounds} alternating rounds × ${seconds} s each:`)
    out.push('| target | requests | errors | req/s | p50 ms | p99 ms |')
    out.push('|---|---:|---:|---:|---:|---:|')
    out.push(`| load balancer (VIP:${LB_PORT}) | ${ours.requests} | ${ours.errors} | ${ours.perSecond.toFixed(0)} | ${ours.p50.toFixed(2)} | ${ours.p99.toFixed(2)} |`)
    out.push(`| hand-written HAProxy (VIP:${BASE_PORT}, ${mode === 'netns' ? 'same netns' : 'same host'}) | ${floor.requests} | ${floor.errors} | ${floor.perSecond.toFixed(0)} | ${floor.p50.toFixed(2)} | ${floor.p99.toFixed(2)} |`)
    out.push(`| LB ÷ hand-written | | | ${(ours.perSecond / floor.perSecond).toFixed(3)} | ${(ours.p50 / floor.p50).toFixed(3)} | ${(ours.p99 / floor.p99).toFixed(3)} |`)
    out.push(`    (target: req/s ratio ≥ 0.97; for latencies lower is better, so the same margin is ≤ 1.03)`)
    if (args['baseline-defaults']) out.push(`    hand-written config with extra defaults: ${args['baseline-defaults']}`)
    out.push(`    per round req/s LB: ${b.ours.map(r => r.perSecond.toFixed(0)).join(' ')}; hand-written: ${b.floor.map(r => r.perSecond.toFixed(0)).join(' ')}`)
    out.push('')
    out.push(`(c) member churn on a live LB, ${churnRounds} adds + ${churnRounds} deletes, each until LB and pool ACTIVE:`)
    out.push(`    add median ${ms(median(c.adds))} (p90 ${ms(p90(c.adds))}), delete median ${ms(median(c.deletes))} (p90 ${ms(p90(c.deletes))}), both median ${ms(median(both))} (target ≤ 100 ms)`)
    process.stdout.write(out.join('\n') + '\n')
  } finally {
    await rig?.dispose()
  }
}

await main()
