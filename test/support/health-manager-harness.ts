import { createSocket, type Socket } from 'node:dgram'
import { setTimeout as sleep } from 'node:timers/promises'
import type { Bus } from '../../src/bus/bus.js'
import type { Config } from '../../src/common/config/schema.js'
import { silentLogger, type Logger } from '../../src/common/logging.js'
import type { Database } from '../../src/db/database.js'
import { encodeHeartbeat, type Heartbeat } from '../../src/amphora-api/heartbeat-codec.js'
import { HealthManager, type HealthManagerTuning } from '../../src/health-manager/health-manager.js'

/** The HMAC key of test health managers. */
export const TEST_HEARTBEAT_KEY = 'health-manager-test-key'

/** `[health_manager]` for tests: loopback, a free port, no stale scan for a minute unless overridden. */
export const testHealthSettings = (over: Partial<Config['health_manager']> = {}): Config['health_manager'] => ({
  bind_ip: '127.0.0.1', bind_port: 0, heartbeat_key: TEST_HEARTBEAT_KEY, heartbeat_interval: 1, heartbeat_timeout: 60,
  health_check_interval: 1, failover_threshold: 0, failover_threads: 10, controller_ip_port_list: [], ...over,
})

/** A started HealthManager with a UDP client that sends it datagrams. */
export interface HealthManagerHarness {
  readonly hm: HealthManager
  /** Sends a heartbeat signed with TEST_HEARTBEAT_KEY, or raw bytes. */
  send(what: Heartbeat | Buffer): Promise<void>
  /** Sends, waits until the receiver has seen every datagram sent so far, then writes the queue. */
  deliver(...what: (Heartbeat | Buffer)[]): Promise<void>
  /** Waits (at most `ms`) until the receiver has seen every datagram sent so far, then writes the queue. */
  settle(ms?: number): Promise<void>
  close(): Promise<void>
}

/** Starts a HealthManager on `database` (a 10 ms batch window) and a client socket. */
export async function startHealthManager(database: Database, o: {
  settings?: Partial<Config['health_manager']>; bus?: Bus; log?: Logger; tuning?: HealthManagerTuning
} = {}): Promise<HealthManagerHarness> {
  const hm = new HealthManager(testHealthSettings(o.settings), {
    database, bus: o.bus, log: o.log ?? silentLogger(), heartbeatKey: TEST_HEARTBEAT_KEY,
  }, { batchWindowMs: 10, ...o.tuning })
  const abort = new AbortController()
  await hm.start(abort.signal)
  const client: Socket = createSocket('udp4')
  let sent = 0
  const seen = (): number => {
    const c = hm.counters.receiver
    return c.delivered + Object.values(c.dropped).reduce((a, b) => a + b, 0)
  }
  const send = async (what: Heartbeat | Buffer): Promise<void> => {
    const packet = Buffer.isBuffer(what) ? what : encodeHeartbeat(what, TEST_HEARTBEAT_KEY)
    await new Promise<void>((resolve, reject) =>
      client.send(packet, hm.address.port, '127.0.0.1', err => (err ? reject(err) : resolve())))
    sent++
  }
  const settle = async (ms = 3000): Promise<void> => {
    const deadline = Date.now() + ms
    while (seen() < sent) {
      if (Date.now() > deadline) throw new Error(`the health manager saw ${seen()} of ${sent} datagrams`)
      await sleep(5)
    }
    await hm.flush()
  }
  return {
    hm, send, settle,
    deliver: async (...what) => {
      for (const w of what) await send(w)
      await settle()
    },
    close: async () => {
      client.close()
      abort.abort()
      await hm.stopped
    },
  }
}
