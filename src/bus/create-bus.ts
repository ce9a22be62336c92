import type { Config } from '../common/config/schema.js'
import type { Logger } from '../common/logging.js'
import type { Bus } from './bus.js'
import { InProcessBus } from './in-process-bus.js'
import { RabbitMqBus } from './rabbitmq-bus.js'
import { parseTransportUrl } from './transport-url.js'

/**
 * The bus `[oslo_messaging] transport_url` selects: empty → the in-process
 * bus, `rabbit://…` → RabbitMQ with prefetch `[controller_worker] workers`.
 * Throws TransportUrlError (at start-up) for anything else. Connects nothing
 * yet: the RabbitMQ bus connects on first use.
 */
export function createBus(config: Pick<Config, 'oslo_messaging' | 'controller_worker'>, log: Logger): Bus {
  const choice = parseTransportUrl(config.oslo_messaging.transport_url)
  if (choice.kind === 'in-process') return new InProcessBus()
  if (choice.transport.ignoredOptions.length) {
    log.warn({ component: 'bus', options: choice.transport.ignoredOptions }, 'transport_url options ignored')
  }
  return new RabbitMqBus({ transport: choice.transport, prefetch: config.controller_worker.workers, log })
}

/**
 * How often a worker polls the database: `job_poll_interval_ms` with the
 * in-process bus, the slower `job_safety_poll_interval_ms` when a broker
 * announces jobs to every worker process.
 */
export function jobPollIntervalMs(config: Pick<Config, 'oslo_messaging' | 'controller_worker'>): number {
  const w = config.controller_worker
  return parseTransportUrl(config.oslo_messaging.transport_url).kind === 'rabbit' ? w.job_safety_poll_interval_ms : w.job_poll_interval_ms
}
