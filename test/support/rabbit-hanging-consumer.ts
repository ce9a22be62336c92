// A process that subscribes to the RabbitMQ bus on queue argv[2] and never
// finishes a message: it prints `got <jobId>` per delivery and waits to be
// killed (rabbitmq-bus.test.ts: redelivery when a consumer dies before ack).
import { silentLogger } from '../../src/common/logging.js'
import { RabbitMqBus } from '../../src/bus/rabbitmq-bus.js'
import { localTransport } from './rabbitmq.js'

const bus = new RabbitMqBus({ transport: localTransport(), prefetch: 4, log: silentLogger(), queue: process.argv[2]! })
bus.subscribe(jobId => {
  process.stdout.write(`got ${jobId}\n`)
  return new Promise<void>(() => undefined)
})
setInterval(() => undefined, 1 << 30)
