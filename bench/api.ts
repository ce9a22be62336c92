// bench/api: creates, GETs and lists per second against an octavia-ts API, with
// a same-run baseline (bench/baseline-server.ts). See docs/benchmarks.md.
//
//   node --import tsx bench/api.ts [--url http://127.0.0.1:9876] [--duration 5]
//        [--concurrency 8] [--list-size 100] [--max-requests 20000] [--keep]
//        [--database postgresql://postgres@127.0.0.1:5432/bench]
//
// Without --url it starts its own `octavia-ts serve` (built dist, noop provider,
// a file SQLite in a temporary directory, or the empty database of --database).
// With --url the objects it creates live in a project of their own
// (`bench-<random>`) and are deleted at the end unless --keep. Every phase is
// bounded by --duration and --max-requests; bad numbers fall back to defaults.
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
    database: { type: 'string' },
  },
})
/** A number option within [min, max], or its default when it is not a number. */
const numberArg = (v: string | undefined, dflt: number, min: number, max: number): number => {
  const n = Number(v)
  return Number.isFinite(n) ? Math.max(min, Math.min(max, n)) : dflt
}
const durationMs = numberArg(args.duration, 5, 0.1, 60) * 1000
const concurrency = Math.round(numberArg(args.concurrency, 8, 1, 256))
const listSize = Math.round(numberArg(args['list-size'], 100, 1, 1000))
const maxRequests = Math.round(numberArg(args['max-requests'], 20000, 1, 1_000_000))
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

/** The first `want` load balancer ids of the bench project, following pages (the service may cap `limit`). */
async function benchIds(client: LoadClient, want: number): Promise<string[]> {
  const ids: string[] = []
  while (ids.length < want) {
    const marker = ids.length ? `&marker=${ids[ids.length - 1]}` : ''
    const r = await client.request('GET', `${LB_PATH}?project_id=${project}&fields=id&limit=${want - ids.length}${marker}`)
    if (r.status !== 200) throw new Error(`GET ${LB_PATH}: ${r.status} ${JSON.stringify(r.body)}`)
    if (r.body.loadbalancers.length === 0) break
    ids.push(...r.body.loadbalancers.map((l: any) => l.id as string))
  }
  return ids
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

/** The measured phases; each service phase right after its baseline phase, so both see the same machine. */
async function phases(client: LoadClient, rows: Row[]): Promise<void> {
  const subnetId = await firstSubnet(client)
  const load = (c: LoadClient, name: string, next: Parameters<typeof runLoad>[1]['next'], cap = maxRequests): Promise<LoadResult> =>
    runLoad(c, { name, concurrency, durationMs, maxRequests: cap, next })
  const lbBody = (i: number) => ({ loadbalancer: { name: `bench-${i}`, vip_subnet_id: subnetId, project_id: project } })

  const first = await client.request('POST', LB_PATH, lbBody(0))
  if (first.status !== 201) throw new Error(`POST ${LB_PATH}: ${first.status} ${JSON.stringify(first.body)}`)
  const baseline = await startBaseline({ one: first.body, list: first.body, create: first.body })
  const base = loadClient(baseline.url, concurrency)
  try {
    const bCreate = await load(base, 'baseline POST', () => ({ method: 'POST', path: '/create', body: lbBody(0), expect: 201 }))
    const creates = await load(client, 'create load balancer (POST → 201)', i => ({ method: 'POST', path: LB_PATH, body: lbBody(i + 1), expect: 201 }))
    const drainSeconds = await drain(client)
    for (let i = creates.requests + 1; i < Math.max(listSize, concurrency); i++) await client.request('POST', LB_PATH, lbBody(i))
    await drain(client)
    const ids = await benchIds(client, Math.max(listSize, concurrency))
    const onePath = `${LB_PATH}/${ids[0]}`
    const listPath = `${LB_PATH}?project_id=${project}&limit=${listSize}`
    await base.request('PUT', '/samples/one', (await client.request('GET', onePath)).body)
    const listSample = (await client.request('GET', listPath)).body
    await base.request('PUT', '/samples/list', listSample)
    const listed = listSample.loadbalancers.length // less than --list-size if the service caps `limit`

    const bGet = await load(base, 'baseline GET one', () => ({ method: 'GET', path: '/one', expect: 200 }))
    const gets = await load(client, 'GET one load balancer', () => ({ method: 'GET', path: onePath, expect: 200 }))
    const bList = await load(base, 'baseline GET list', () => ({ method: 'GET', path: '/list', expect: 200 }))
    const lists = await load(client, `list ${listed} load balancers`, () => ({ method: 'GET', path: listPath, expect: 200 }))
    const listeners = await load(client, 'create listener → ACTIVE (one LB per worker)', (i, w) => async c => {
      const r = await c.request('POST', '/v2/lbaas/listeners', { listener: { loadbalancer_id: ids[w], protocol: 'TCP', protocol_port: 1000 + i } })
      return r.status === 201 && waitLbActive(c, ids[w])
    }, Math.min(maxRequests, 60000))
    rows.push({ result: creates, baseline: bCreate }, { result: gets, baseline: bGet }, { result: lists, baseline: bList }, { result: listeners })
    const done = creates.requests - creates.errors
    const seconds = creates.seconds + drainSeconds
    rows.push({ derived: `load balancers created → ACTIVE: ${done} in ${seconds.toFixed(1)} s = ${(done / seconds).toFixed(0)}/s (drain after the POSTs: ${drainSeconds.toFixed(1)} s)` })
  } finally {
    await base.close()
    await baseline.stop()
  }
}

async function main(): Promise<void> {
  const loadBefore = loadavg()[0]
  const own: ServiceProcess | null = args.url ? null
    : await startService(args.database ? { sections: { database: { connection: args.database } } } : {})
  const target = (args.url ?? own!.url).replace(/\/$/, '')
  const client = loadClient(target, concurrency)
  const rows: Row[] = []
  try {
    await phases(client, rows)
    if (args.url && !args.keep) rows.push({ derived: `cleanup: deleted ${await cleanup(client)} load balancers of project ${project}` })
  } finally {
    await client.close()
    await own?.dispose()
  }
  printTable(rows, {
    command: `node --import tsx bench/api.ts ${process.argv.slice(2).join(' ')}`.trim(),
    target: args.url ?? `own octavia-ts serve (noop provider, default config, ${args.database ? 'PostgreSQL' : 'SQLite file'})`,
    machine: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, load average ${loadBefore.toFixed(2)} before the run`,
    concurrency, durationMs,
  })
}

await main()
