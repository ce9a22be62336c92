// bench/amphora-members: how long a member add or delete takes on a live
// amphora load balancer, from the API request until the load balancer is
// ACTIVE again (issue 4's target: median ≤ 100 ms). Runs the whole stack in
// process (test/e2e/support/amphora-stack.ts: API, worker, agent, real HAProxy).
//
//   node --import tsx bench/amphora-members.ts [--mode netns|loopback] [--rounds 20]
//
// netns needs root. Also prints the median time of each agent call.
import { loadavg } from 'node:os'
import { parseArgs } from 'node:util'
import { startAmphoraStack, type StackMode } from '../test/e2e/support/amphora-stack.js'
import { startHttpBackend } from '../test/e2e/support/amphora-backends.js'

const { values: args } = parseArgs({ options: { mode: { type: 'string' }, rounds: { type: 'string', default: '20' } } })
const mode: StackMode = args.mode === 'netns' || args.mode === 'loopback' ? args.mode : process.geteuid?.() === 0 ? 'netns' : 'loopback'
const rounds = Math.max(1, Math.min(500, Number(args.rounds) || 20))

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1] ?? NaN
const p90 = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.9)] ?? NaN

const stack = await startAmphoraStack({ mode })
const backend = await startHttpBackend('bench', stack.backendHost)
try {
  const r = await stack.request('POST', '/v2/lbaas/loadbalancers', {
    loadbalancer: { vip_subnet_id: stack.subnetId, listeners: [{ protocol: 'HTTP', protocol_port: 80, default_pool: { name: 'p', protocol: 'HTTP', lb_algorithm: 'ROUND_ROBIN' } }] },
  })
  const lbId = r.body.loadbalancer.id
  const lbUrl = `/v2/lbaas/loadbalancers/${lbId}`
  await stack.waitStatus(lbUrl)
  const poolId = (await stack.request('GET', `/v2/lbaas/pools?loadbalancer_id=${lbId}`)).body.pools[0].id
  const active = async (): Promise<void> => {
    for (let i = 0; i < 10000; i++) {
      const s = (await stack.request('GET', lbUrl)).body.loadbalancer.provisioning_status
      if (s === 'ACTIVE') return
      if (s === 'ERROR') throw new Error('load balancer went ERROR')
      await new Promise(res => setTimeout(res, 2))
    }
    throw new Error('load balancer never became ACTIVE')
  }
  const agent = stack.amphora.agent as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>
  const calls: Record<string, number[]> = {}
  for (const k of Object.keys(agent)) {
    const f = agent[k]
    agent[k] = async (...a: unknown[]) => {
      const t = performance.now()
      try { return await f(...a) } finally { (calls[k] ??= []).push(performance.now() - t) }
    }
  }
  const adds: number[] = []
  const deletes: number[] = []
  for (let i = 0; i < rounds; i++) {
    let t = performance.now()
    const m = await stack.request('POST', `/v2/lbaas/pools/${poolId}/members`, { member: { address: backend.host, protocol_port: backend.port, name: `m${i}` } })
    if (m.status !== 201) throw new Error(`member create: ${m.status} ${JSON.stringify(m.body)}`)
    await active()
    adds.push(performance.now() - t)
    t = performance.now()
    const d = await stack.request('DELETE', `/v2/lbaas/pools/${poolId}/members/${m.body.member.id}`)
    if (d.status !== 204) throw new Error(`member delete: ${d.status} ${JSON.stringify(d.body)}`)
    await active()
    deletes.push(performance.now() - t)
  }
  const all = [...adds, ...deletes]
  console.log(`mode ${mode}, ${rounds} adds + ${rounds} deletes, load average ${loadavg()[0].toFixed(2)}`)
  console.log(`member add→ACTIVE    median ${median(adds).toFixed(1)} ms  p90 ${p90(adds).toFixed(1)} ms`)
  console.log(`member delete→ACTIVE median ${median(deletes).toFixed(1)} ms  p90 ${p90(deletes).toFixed(1)} ms`)
  console.log(`both                 median ${median(all).toFixed(1)} ms (target ≤ 100 ms)`)
  for (const [k, v] of Object.entries(calls)) console.log(`  agent ${k.padEnd(18)} ${String(v.length).padStart(4)} calls, median ${median(v).toFixed(1)} ms`)
  await stack.request('DELETE', `${lbUrl}?cascade=true`)
  await stack.waitUntil(lbUrl, b => b?.loadbalancer === undefined)
} finally {
  await backend.close()
  await stack.close()
}
