import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { httpClient, type HttpClient } from './support/http-client.js'
import { statusCensus, unfinishedJobs } from './support/pending-rows.js'
import { checkBuilt, errorLogLines, freePort, freeUdpPort, renderIni, REPO_ROOT, startService } from './support/service-process.js'
import { startSplitProcess, type SplitProcess } from './support/split-process.js'
import { createScratchPgDatabase, type ScratchPgDatabase } from './support/pg-database.js'
import { testDialects } from '../support/databases.js'
import { rabbitmqctl, scratchVhost } from '../support/rabbitmq.js'

// Scale-out on RabbitMQ: `octavia-ts api` and two `octavia-ts worker`
// processes share one database and a virtual host and user of this test's own.
// The database is PostgreSQL (scale-out's database: on one SQLite file several
// writing processes can fail a write with SQLITE_BUSY), SQLite only when the
// tests run without PostgreSQL (OCTAVIA_TEST_DIALECTS=sqlite).
// The workers' database poll is set to a minute, so load balancers that
// become ACTIVE within seconds were announced by the broker. A worker killed
// with SIGKILL mid-way: the broker hands its unacknowledged messages to the
// other worker, which takes the dead worker's jobs over. (Requires the built
// bundle: node build.mjs, and the machine's RabbitMQ on 127.0.0.1:5672.)

const POLL_MS = 60_000
const TASK_DELAY_MS = 150
const COUNT = 20

describe('octavia-ts api + 2 workers on RabbitMQ', () => {
  let dir = ''
  let vhost: ReturnType<typeof scratchVhost> | undefined
  let databaseUrl = ''
  let pgDb: ScratchPgDatabase | undefined
  let api: SplitProcess | undefined
  const workers: SplitProcess[] = []
  let client: HttpClient
  let subnetId = ''

  const createLbs = async (prefix: string): Promise<string[]> => Promise.all(Array.from({ length: COUNT }, async (_, i) => {
    const r = await client.request('POST', '/v2/lbaas/loadbalancers', { loadbalancer: { name: `${prefix}-${i}`, vip_subnet_id: subnetId } })
    assert.equal(r.status, 201, `POST loadbalancer: ${r.status} ${JSON.stringify(r.body)}`)
    return r.body.loadbalancer.id as string
  }))
  /** Waits until every id is ACTIVE (one list request per round); returns the milliseconds it took. */
  const allActive = async (ids: readonly string[], ms: number): Promise<number> => {
    const started = Date.now()
    for (;;) {
      const r = await client.request('GET', '/v2/lbaas/loadbalancers')
      const status = new Map<string, string>(r.body.loadbalancers.map((lb: { id: string; provisioning_status: string }) => [lb.id, lb.provisioning_status]))
      const waiting = ids.filter(id => status.get(id) !== 'ACTIVE')
      if (waiting.length === 0) return Date.now() - started
      if (Date.now() - started > ms) assert.fail(`${waiting.length} load balancers not ACTIVE after ${ms} ms: ${waiting.map(id => status.get(id)).join(', ')}`)
      await sleep(200)
    }
  }
  const jobsStarted = (p: SplitProcess): number => p.logs().split('\n').filter(l => l.includes('"msg":"job started"')).length

  before(async () => {
    checkBuilt()
    dir = mkdtempSync(join(tmpdir(), 'octavia-rabbit-split-'))
    vhost = scratchVhost()
    if (testDialects.includes('postgres')) pgDb = await createScratchPgDatabase()
    databaseUrl = pgDb?.url ?? `sqlite:///${join(dir, 'octavia.sqlite')}`
    const port = await freePort()
    const configFile = join(dir, 'octavia.ini')
    writeFileSync(configFile, renderIni({
      DEFAULT: { state_dir: join(dir, 'state') },
      database: { connection: databaseUrl },
      oslo_messaging: { transport_url: vhost.url },
      api_settings: {
        bind_host: '127.0.0.1', bind_port: String(port),
        enabled_provider_drivers: 'noop_driver:The no-op driver.', default_provider_driver: 'noop_driver',
      },
      neutron_api: { bind_host: '127.0.0.1', bind_port: String(await freePort()) },
      health_manager: { bind_port: String(await freeUdpPort()) },
      controller_worker: { workers: '4', job_safety_poll_interval_ms: String(POLL_MS), job_lease_seconds: '30' },
      noop_provider: { task_delay_ms: String(TASK_DELAY_MS) },
    }))
    // the API first: it migrates the database before the workers open it
    api = await startSplitProcess({ command: 'api', name: 'api', configFile, dir, readyLine: 'octavia-ts started' })
    for (const name of ['worker-a', 'worker-b']) {
      workers.push(await startSplitProcess({ command: 'worker', name, configFile, dir, readyLine: 'bus connected' }))
    }
    client = httpClient(`http://127.0.0.1:${port}`)
    const r = await client.request('GET', '/v2.0/subnets?name=public-subnet')
    assert.equal(r.status, 200)
    subnetId = r.body.subnets[0].id
  })

  after(async () => {
    for (const p of [api, ...workers]) {
      const errors = p ? errorLogLines(p.logs()) : []
      if (errors.length) process.stderr.write(`# ${p!.command} errors:\n${errors.slice(-10).join('\n')}\n`)
    }
    await Promise.all([api, ...workers].map(p => p?.stop('SIGKILL')))
    try { vhost?.dispose() } finally {
      if (dir) rmSync(dir, { recursive: true, force: true })
      await pgDb?.drop()
    }
  })

  it('when both workers are up, then the queue of the virtual host has 2 consumers', () => {
    const rows = rabbitmqctl('list_queues', '-p', vhost!.name, 'name', 'consumers').trim().split('\n').map(l => l.trim().split(/\s+/))
    assert.deepEqual(rows.filter(r => r[0] === 'octavia_ts.jobs'), [['octavia_ts.jobs', '2']])
  })

  it(`when ${COUNT} load balancers are created, then all become ACTIVE well within the database poll, on both workers`, async () => {
    const ids = await createLbs('fast')
    const took = await allActive(ids, 20_000)
    assert.ok(took < POLL_MS / 3, `took ${took} ms`)
    assert.ok(jobsStarted(workers[0]!) > 0 && jobsStarted(workers[1]!) > 0,
      `both workers ran jobs (${jobsStarted(workers[0]!)} and ${jobsStarted(workers[1]!)})`)
  })

  it('when a worker is killed with SIGKILL mid-way, then every job still finishes, through the other worker', async () => {
    const [victim, survivor] = workers as [SplitProcess, SplitProcess]
    const before = jobsStarted(victim)
    const ids = await createLbs('kill')
    for (let i = 0; i < 200 && jobsStarted(victim) === before; i++) await sleep(10)
    assert.ok(jobsStarted(victim) > before, 'the victim had started jobs')
    await victim.stop('SIGKILL')
    await allActive(ids, 30_000)
    assert.match(survivor.logs(), /job resumed|job started/)
    const census = await statusCensus(databaseUrl)
    assert.deepEqual(unfinishedJobs(census), [])
    assert.equal(census.objects.load_balancer?.ACTIVE, 2 * COUNT)
  })

  it('when the processes have logged, then no log holds the broker password', () => {
    for (const p of [api!, ...workers]) assert.ok(!p.logs().includes(vhost!.password), `${p.command} logged the password`)
    assert.match(workers[1]!.logs(), /"component":"bus".*"msg":"bus connected"/)
  })
})

describe('octavia-ts worker with an unsupported transport_url', () => {
  it('when transport_url is not rabbit://, then the process stops at start-up with a clear error and exit code 1', async () => {
    checkBuilt()
    const dir = mkdtempSync(join(tmpdir(), 'octavia-rabbit-bad-'))
    try {
      const configFile = join(dir, 'octavia.ini')
      writeFileSync(configFile, renderIni({
        DEFAULT: { state_dir: join(dir, 'state') },
        oslo_messaging: { transport_url: 'kafka://user:hunter2@127.0.0.1:9092' },
      }))
      const r = spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'octavia-ts'), 'worker', '--config', configFile], { encoding: 'utf8', timeout: 30_000 })
      assert.equal(r.status, 1)
      assert.match(r.stderr, /transport_url: unsupported transport 'kafka'/)
      assert.doesNotMatch(r.stderr + r.stdout, /hunter2/)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('octavia-ts serve with a rabbit:// transport_url', () => {
  it('when one process runs API and worker, then they talk through RabbitMQ and a load balancer becomes ACTIVE within the poll', async () => {
    const vhost = scratchVhost()
    let svc: Awaited<ReturnType<typeof startService>> | undefined
    try {
      svc = await startService({ sections: {
        oslo_messaging: { transport_url: vhost.url },
        controller_worker: { job_safety_poll_interval_ms: String(POLL_MS) },
      } })
      const api = httpClient(svc.url)
      const subnet = (await api.request('GET', '/v2.0/subnets?name=public-subnet')).body.subnets[0]
      const r = await api.request('POST', '/v2/lbaas/loadbalancers', { loadbalancer: { name: 'serve-rabbit', vip_subnet_id: subnet.id } })
      assert.equal(r.status, 201)
      await api.waitStatus(`/v2/lbaas/loadbalancers/${r.body.loadbalancer.id}`, 'ACTIVE', 15_000)
      const rows = rabbitmqctl('list_queues', '-p', vhost.name, 'name', 'consumers').trim().split('\n').map(l => l.trim().split(/\s+/))
      assert.deepEqual(rows.filter(row => row[0] === 'octavia_ts.jobs'), [['octavia_ts.jobs', '1']])
    } finally {
      await svc?.dispose()
      vhost.dispose()
    }
  })
})
