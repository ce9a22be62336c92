import assert from 'node:assert/strict'
import { spawn, type ChildProcess } from 'node:child_process'
import { createSocket } from 'node:dgram'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { openDatabase, type Database } from '../../src/db/database.js'
import { migrateToLatest } from '../../src/db/migrate.js'
import { upsertAmphoraHealth } from '../../src/db/repositories/amphora-health-repository.js'
import { encodeHeartbeat } from '../../src/amphora-api/heartbeat-codec.js'
import { heartbeatFor, seedLoadBalancer, type SeededLoadBalancer } from '../support/health-fixtures.js'
import { checkBuilt, freeUdpPort, renderIni, REPO_ROOT } from './support/service-process.js'

// `octavia-ts health-manager` as a process of its own (scale-out: it shares
// only the database with the API and workers): it applies heartbeats sent
// to its configured port and records failover jobs that a worker elsewhere
// would pick up by polling. (Requires the built bundle: node build.mjs.)

const KEY = 'command-test-key'

describe('octavia-ts health-manager', () => {
  let dir = ''
  let child: ChildProcess
  let exited: Promise<number | null>
  let log = ''
  let database: Database
  let port = 0
  let healthy: SeededLoadBalancer
  let silent: SeededLoadBalancer

  before(async () => {
    checkBuilt()
    dir = mkdtempSync(join(tmpdir(), 'octavia-hm-cmd-'))
    const url = `sqlite:///${join(dir, 'octavia.sqlite')}`
    database = openDatabase(url)
    await migrateToLatest(database.db)
    healthy = await seedLoadBalancer(database.db, { operatingStatus: 'OFFLINE' })
    silent = await seedLoadBalancer(database.db)
    await upsertAmphoraHealth(database.db, [{ amphoraId: silent.amphoraIds[0]!, lastUpdate: Date.now() - 3_600_000 }])
    port = await freeUdpPort()
    const config = join(dir, 'octavia.ini')
    writeFileSync(config, renderIni({
      DEFAULT: { state_dir: join(dir, 'state') },
      database: { connection: url },
      health_manager: {
        bind_ip: '127.0.0.1', bind_port: String(port), heartbeat_key: KEY,
        heartbeat_interval: '1', heartbeat_timeout: '2', health_check_interval: '1',
      },
    }))
    child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'octavia-ts'), 'health-manager', '--config', config], { stdio: ['ignore', 'pipe', 'pipe'] })
    child.stdout?.on('data', d => { log += String(d) })
    child.stderr?.on('data', d => { log += String(d) })
    exited = new Promise(resolve => child.once('exit', code => resolve(code)))
    for (let i = 0; i < 200 && !log.includes('health manager started'); i++) await sleep(50)
    assert.match(log, /health manager started/)
  })
  after(async () => {
    if (child && child.exitCode === null) {
      child.kill('SIGKILL')
      await exited
    }
    await database?.close()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('when an amphora sends heartbeats to its port, then the statuses in the shared database follow them', async () => {
    const client = createSocket('udp4')
    try {
      for (let seq = 1; seq <= 3; seq++) {
        const packet = encodeHeartbeat(heartbeatFor(healthy, healthy.amphoraIds[0]!, seq), KEY)
        await new Promise<void>((res, rej) => client.send(packet, port, '127.0.0.1', e => (e ? rej(e) : res())))
        await sleep(300)
      }
    } finally {
      client.close()
    }
    const lb = await database.db.selectFrom('load_balancer').select('operating_status').where('id', '=', healthy.lbId).executeTakeFirstOrThrow()
    assert.equal(lb.operating_status, 'ONLINE')
    const row = await database.db.selectFrom('amphora_health').selectAll().where('amphora_id', '=', healthy.amphoraIds[0]!).executeTakeFirst()
    assert.ok(row, 'liveness recorded')
  })

  it('when an amphora stays silent past the timeout, then a failover job is recorded for the workers to poll', async () => {
    for (let i = 0; i < 100; i++) {
      const jobs = await database.db.selectFrom('job').select(['operation', 'load_balancer_id']).execute()
      if (jobs.length > 0) {
        assert.deepEqual(jobs, [{ operation: 'failover_amphora', load_balancer_id: silent.lbId }])
        return
      }
      await sleep(100)
    }
    assert.fail(`no failover job within 10 s:\n${log.slice(-2000)}`)
  })

  it('when sent SIGTERM, then it stops and exits 0', async () => {
    child.kill('SIGTERM')
    assert.equal(await Promise.race([exited, sleep(10_000).then(() => 'timeout')]), 0)
  })
})
