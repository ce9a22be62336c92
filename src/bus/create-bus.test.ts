import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { loadConfig } from '../common/config/load.js'
import { silentLogger } from '../common/logging.js'
import { createBus, jobPollIntervalMs } from './create-bus.js'
import { InProcessBus } from './in-process-bus.js'
import { RabbitMqBus } from './rabbitmq-bus.js'
import { TransportUrlError } from './transport-url.js'

const config = (transportUrl?: string) =>
  loadConfig(undefined, transportUrl === undefined ? {} : { OCTAVIA_TS__oslo_messaging__transport_url: transportUrl })

describe('createBus', () => {
  it('when transport_url is unset or empty, then the in-process bus polls every job_poll_interval_ms', async () => {
    for (const c of [config(), config('')]) {
      const bus = createBus(c, silentLogger())
      assert.ok(bus instanceof InProcessBus)
      assert.equal(jobPollIntervalMs(c), c.controller_worker.job_poll_interval_ms)
      await bus.close()
    }
  })

  it('when transport_url is rabbit://, then the RabbitMQ bus is built (not connected) and the poll is the slow safety net', async () => {
    const c = config('rabbit://guest:guest@127.0.0.1:1/nowhere')
    const bus = createBus(c, silentLogger())
    assert.ok(bus instanceof RabbitMqBus)
    assert.equal(jobPollIntervalMs(c), c.controller_worker.job_safety_poll_interval_ms)
    assert.ok(c.controller_worker.job_safety_poll_interval_ms > c.controller_worker.job_poll_interval_ms)
    await bus.close()
  })

  it('when transport_url has another scheme, then building fails with a clear error', () => {
    assert.throws(() => createBus(config('kafka://h:9092'), silentLogger()), TransportUrlError)
  })
})
