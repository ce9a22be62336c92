// bench/api: creates, GETs and lists per second against an octavia-ts API, with
// a same-run baseline (bench/baseline-server.ts). See docs/benchmarks.md.
//
//   node --import tsx bench/api.ts [--url http://127.0.0.1:9876] [--duration 5]
//        [--concurrency 8] [--list-size 100] [--max-requests 20000] [--keep]
//
// Without --url it starts its own `octavia-ts serve` (built dist, noop provider,
// file SQLite in a temporary directory). With --url the objects it creates live
// in a project of their own (`bench-<random>`) and are deleted at the end
// unless --keep. Every phase is bounded by --duration and --max-requests.
import { randomBytes } from 'node:crypto'
import { cpus, loadavg } from 'node:os'
import { parseArgs } from 'node:util'
import { startService, type ServiceProcess } from '../test/e2e/support/service-process.js'
import { startBaseline } from './baseline.js'
import { loadClient, runLoad, type LoadClient, type LoadResult } from './load.js'
import { printTable, type Row } from './report.js'

const { values: args } = parseArgs({
  options: {
    url: { type: 'string' },
    duration: { type: 'string', default: '5' },
    concurrency: { type: 'string', default: '8' },
    'list-size': { type: 'string', default: '100' },
    'max-requests': { type: 'string', default: '20000' },
    keep: { type: 'boolean', default: false },
  },
})
const durationMs = Math.min(60, Number(args.duration)) * 1000
const concurrency = Math.max(1, Math.min(256, Number(args.concurrency)))
const listSize = Math.max(1, Math.min(1000, Number(args['list-size'])))
const maxRequests = Math.max(1, Number(args['max-requests']))
const DRAIN_LIMIT_MS = 180000
const sleep = (ms: number) => new Promise(r => setTimeout(r, ms))

const project = `bench-${randomBytes(4).toString('hex')}`
const LB_PATH = '/v2/lbaas/loadbalancers'

async function firstSubnet(client: LoadClient): Promise<string> {
  const named = await client.request('GET', '/v2.0/subnets?name=public-subnet')
  const subnets = named.status === 200 && named.body.subnets.length ? named.body.subnets : (await client.request('GET', '/v2.0/subnets')).body?.subnets
  if (!subnets?.length) throw new Error('the service has no subnet (GET /v2.0/subnets)')
  return subnets[0].id
}

/** Waits until no load balancer of the bench project is PENDING_CREATE; returns the seconds it took. */
async function drain(client: LoadClient): Promise<number> {
  const t0 = Date.now()
  for (;;) {
    const r = await client.request('GET', `${LB_PATH}?project_id=${project}&provisioning_status=PENDING_CREATE&fields=id&limit=1`)
    if (r.status !== 200) throw new Error(`GET ${LB_PATH}: ${r.status} ${JSON.stringify(r.body)}`)
    if (r.body.loadbalancers.length === 0) return (Date.now() - t0) / 1000
    if (Date.now() - t0 > DRAIN_LIMIT_MS) throw new Error(`load balancers still PENDING_CREATE after ${DRAIN_LIMIT_MS / 1000} s`)
    await sleep(100)
  }
}

async function waitLbActive(client: LoadClient, id: string): Promise<boolean> {
  for (let i = 0; i < 2000; i++) {
    const r = await client.request('GET', `${LB_PATH}/${id}?fields=provisioning_status`)
    const s = r.body?.loadbalancer?.provisioning_status
    if (s === 'ACTIVE') return true
    if (s === 'ERROR' || r.status !== 200) return false
    await sleep(2)
  }
  return false
}

async function cleanup(client: LoadClient): Promise<number> {
  let deleted = 0
  const t0 = Date.now()
  while (Date.now() - t0 < DRAIN_LIMIT_MS) {
    const r = await client.request('GET', `${LB_PATH}?project_id=${project}&fields=id&fields=provisioning_status&limit=1000`)
    const ids: string[] = r.body.loadbalancers.filter((l: any) => !l.provisioning_status.startsWith('PENDING_')).map((l: any) => l.id)
    if (r.body.loadbalancers.length === 0) break
    for (let i = 0; i < ids.length; i += concurrency) {
      await Promise.all(ids.slice(i, i + concurrency).map(id => client.request('DELETE', `${LB_PATH}/${id}?cascade=true`)))
      deleted += Math.min(concurrency, ids.length - i)
    }
    if (ids.length === 0) await sleep(100)
  }
  return deleted
}

async function main(): Promise<void> {
  const loadBefore = loadavg()[0]
  const own: ServiceProcess | null = args.url ? null : await startService()
  const target = (args.url ?? own!.url).replace(/\/$/, '')
  const client = loadClient(target, concurrency)
  const rows: Row[] = []
  try {
    const subnetId = await firstSubnet(client)
    const load = (name: string, next: Parameters<typeof runLoad>[1]['next'], cap = maxRequests): Promise<LoadResult> =>
      runLoad(client, { name, concurrency, durationMs, maxRequests: cap, next })
    const lbBody = (i: number) => ({ loadbalancer: { name: `bench-${i}`, vip_subnet_id: subnetId, project_id: project } })

    const creates = await load('create load balancer (POST → 201)', i => ({ method: 'POST', path: LB_PATH, body: lbBody(i), expect: 201 }))
    const drainSeconds = await drain(client)
    for (let i = creates.requests; i < Math.max(listSize, concurrency); i++) await client.request('POST', LB_PATH, lbBody(i))
    await drain(client)
    const ids: string[] = (await client.request('GET', `${LB_PATH}?project_id=${project}&fields=id&limit=${Math.max(listSize, concurrency)}`)).body.loadbalancers.map((l: any) => l.id)

    const gets = await load('GET one load balancer', () => ({ method: 'GET', path: `${LB_PATH}/${ids[0]}`, expect: 200 }))
    const listPath = `${LB_PATH}?project_id=${project}&limit=${listSize}`
    const lists = await load(`list ${listSize} load balancers`, () => ({ method: 'GET', path: listPath, expect: 200 }))
    const listeners = await load('create listener → ACTIVE (one LB per worker)', (i, w) => async c => {
      const r = await c.request('POST', '/v2/lbaas/listeners', { listener: { loadbalancer_id: ids[w], protocol: 'TCP', protocol_port: 1000 + i } })
      return r.status === 201 && waitLbActive(c, ids[w])
    }, Math.min(maxRequests, 60000))

    const samples = {
      one: (await client.request('GET', `${LB_PATH}/${ids[0]}`)).body,
      list: (await client.request('GET', listPath)).body,
      create: (await client.request('GET', `${LB_PATH}/${ids[0]}`)).body,
    }
    const baseline = await startBaseline(samples)
    const base = loadClient(baseline.url, concurrency)
    try {
      const bload = (name: string, next: Parameters<typeof runLoad>[1]['next']) => runLoad(base, { name, concurrency, durationMs, maxRequests, next })
      const bCreate = await bload('baseline POST', () => ({ method: 'POST', path: '/create', body: lbBody(0), expect: 201 }))
      const bGet = await bload('baseline GET one', () => ({ method: 'GET', path: '/one', expect: 200 }))
      const bList = await bload('baseline GET list', () => ({ method: 'GET', path: '/list', expect: 200 }))
      rows.push({ result: creates, baseline: bCreate }, { result: gets, baseline: bGet }, { result: lists, baseline: bList }, { result: listeners })
      const createdActive = creates.requests - creates.errors
      rows.push({ derived: `load balancers created → ACTIVE: ${createdActive} in ${(creates.seconds + drainSeconds).toFixed(1)} s = ${(createdActive / (creates.seconds + drainSeconds)).toFixed(0)}/s (drain after the POSTs: ${drainSeconds.toFixed(1)} s)` })
    } finally {
      await base.close()
      await baseline.stop()
    }
    if (args.url && !args.keep) rows.push({ derived: `cleanup: deleted ${await cleanup(client)} load balancers of project ${project}` })
  } finally {
    await client.close()
    await own?.dispose()
  }
  printTable(rows, {
    command: `node --import tsx bench/api.ts ${process.argv.slice(2).join(' ')}`.trim(),
    target: args.url ?? 'own octavia-ts serve (noop provider, SQLite file, default config)',
    machine: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, load average ${loadBefore.toFixed(2)} before the run`,
    concurrency, durationMs,
  })
}

await main()
