// A stale scan of a health manager in a process of its own (the component
// tests race two of them on one database, as two health-manager hosts would):
//   node --import tsx test/support/health-scan-process.ts <database-url> <start-at-epoch-ms> <heartbeat-timeout-s>
// Waits until start-at, runs two scans, prints the ScanResults as JSON.
import { silentLogger } from '../../src/common/logging.js'
import { openDatabase } from '../../src/db/database.js'
import { HealthManager } from '../../src/health-manager/health-manager.js'
import { testHealthSettings, TEST_HEARTBEAT_KEY } from './health-manager-harness.js'

const [url, startAt, timeout] = process.argv.slice(2)
const database = openDatabase(url!)
const hm = new HealthManager(testHealthSettings({ heartbeat_timeout: Number(timeout), failover_threads: 1000 }),
  { database, log: silentLogger(), heartbeatKey: TEST_HEARTBEAT_KEY })
await database.db.selectFrom('amphora_health').select('amphora_id').limit(1).execute()
await new Promise(r => setTimeout(r, Math.max(0, Number(startAt) - Date.now())))
const results = [await hm.scanOnce(), await hm.scanOnce()]
await database.close()
process.stdout.write(`${JSON.stringify({ results, counters: hm.counters.failovers })}\n`)
