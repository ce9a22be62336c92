import { connect, type ChannelModel, type ConfirmChannel } from 'amqplib'
import type { Logger } from '../common/logging.js'
import type { Bus } from './bus.js'
import { PublishBuffer } from './publish-buffer.js'
import { RabbitMqConsumer } from './rabbitmq-consumer.js'
import { backoffDelay, cancellableSleep, DEFAULT_BACKOFF, type Backoff } from './reconnect-backoff.js'
import { brokerLabel, type RabbitTransport } from './transport-url.js'

/**
 * The workers' queue. One durable queue per virtual host, shared by every
 * worker (competing consumers: each job id goes to one worker). Named after
 * this service, not Octavia's `octavia_provisioning_v2` topic, so that a real
 * Octavia on the same virtual host never receives ids it cannot read.
 */
export const JOB_QUEUE = 'octavia_ts.jobs'

/** How long a leaving consumer waits for its handlers to settle before its channel closes (the rest is requeued). */
const RETIRE_GRACE_MS = 10_000

export interface RabbitMqBusOptions {
  readonly transport: RabbitTransport
  /** Unacknowledged messages per subscriber: `[controller_worker] workers`. */
  readonly prefetch: number
  readonly log: Logger
  /** Default JOB_QUEUE (tests use their own). */
  readonly queue?: string
  readonly backoff?: Backoff
  /** Ids kept while disconnected (default 10000). */
  readonly bufferLimit?: number
  /** Milliseconds a socket connect may take (default 5000). */
  readonly connectTimeoutMs?: number
}

/**
 * The RabbitMQ bus (`[oslo_messaging] transport_url = rabbit://…`).
 *
 * - Connects on first use, to the URL's brokers in turn, with exponential
 *   back-off (capped) between failed attempts and again after a lost
 *   connection, until `close`.
 * - `publish` sends a persistent message on a confirm channel and returns at
 *   once; an id published while disconnected, or whose channel died before the
 *   broker confirmed it, is kept in a bounded buffer and sent after
 *   reconnection. A broker's negative confirm is logged and dropped. Either
 *   way the job is in the database: the workers' poll finds a lost one.
 * - Each subscriber consumes on a channel of its own with prefetch
 *   `prefetch` and manual acknowledgements (RabbitMqConsumer).
 * - Logs name brokers as host:port, never credentials.
 */
export class RabbitMqBus implements Bus {
  readonly #o: Required<Omit<RabbitMqBusOptions, 'log'>>
  readonly #log: Logger
  readonly #buffer: PublishBuffer
  readonly #consumers = new Set<RabbitMqConsumer>()
  /** Unsubscribed consumers still settling their messages; `close` waits for them. */
  readonly #retiring = new Set<Promise<void>>()
  #model: ChannelModel | null = null
  #publisher: ConfirmChannel | null = null
  #loop: Promise<void> | null = null
  #cancelSleep: (() => void) | null = null
  #closing: Promise<void> | null = null

  constructor(options: RabbitMqBusOptions) {
    const { log, ...rest } = options
    this.#o = Object.freeze({ queue: JOB_QUEUE, backoff: DEFAULT_BACKOFF, bufferLimit: 10_000, connectTimeoutMs: 5000, ...rest })
    this.#log = log.child({ component: 'bus', vhost: rest.transport.vhost, queue: this.#o.queue })
    this.#buffer = new PublishBuffer(this.#o.bufferLimit)
  }

  publish(jobId: string): void {
    if (this.#closing) return
    this.#loop ??= this.#run()
    const pub = this.#publisher
    if (pub) this.#send(pub, jobId)
    else this.#keep(jobId)
  }

  subscribe(onJob: (jobId: string) => Promise<void>): () => void {
    const consumer = new RabbitMqConsumer(onJob, this.#log)
    this.#consumers.add(consumer)
    this.#loop ??= this.#run()
    const model = this.#model
    if (model) void this.#attach(consumer, model)
    return () => {
      if (!this.#consumers.delete(consumer)) return
      const retired = consumer.retire(RETIRE_GRACE_MS)
      this.#retiring.add(retired)
      void retired.finally(() => this.#retiring.delete(retired))
    }
  }

  close(): Promise<void> {
    this.#closing ??= (async () => {
      this.#cancelSleep?.()
      await Promise.allSettled([...this.#retiring, ...[...this.#consumers].map(c => c.retire(RETIRE_GRACE_MS))])
      await this.#model?.close().catch(() => undefined)
      await this.#loop
      if (this.#buffer.size) this.#log.warn({ unsent: this.#buffer.size }, 'bus closed with unsent announcements; the poll finds their jobs')
    })()
    return this.#closing
  }

  #send(pub: ConfirmChannel, jobId: string): void {
    try {
      pub.sendToQueue(this.#o.queue, Buffer.from(jobId, 'utf8'), { persistent: true, contentType: 'text/plain' }, (err: unknown) => {
        if (!err) return
        // NOTE: amqplib reports a broker's negative confirm as 'message nacked', a channel that ended first otherwise.
        if ((err as Error).message === 'message nacked') this.#log.warn({ jobId }, 'broker refused an announcement; the poll finds its job')
        else this.#keep(jobId)
      })
    } catch {
      this.#keep(jobId) // the channel closed under us
    }
  }

  #keep(jobId: string): void {
    if (this.#closing) return
    if (this.#buffer.push(jobId)) {
      this.#log.warn({ dropped: this.#buffer.dropped }, 'bus buffer full while disconnected; oldest announcement dropped, the poll finds its job')
    }
  }

  /** Connects, serves the connection until it is lost, and starts over, until close. */
  async #run(): Promise<void> {
    let failures = 0
    let next = 0
    while (!this.#closing) {
      const host = this.#o.transport.hosts[next % this.#o.transport.hosts.length]!
      const lost = await this.#serve(host).catch((err: unknown) => {
        this.#log.warn({ broker: brokerLabel(host), errMessage: (err as Error).message }, 'bus connection failed')
        return null
      })
      if (this.#closing) break
      if (lost === null) { failures++; next++ } else failures = 1
      const sleep = cancellableSleep(backoffDelay(this.#o.backoff, failures))
      this.#cancelSleep = sleep.cancel
      await sleep.done
      this.#cancelSleep = null
    }
  }

  /** One connection's life: resolves when it is lost (after it was up); rejects when setting it up failed. */
  async #serve(host: RabbitTransport['hosts'][number]): Promise<true> {
    const model = await connect({
      protocol: 'amqp', hostname: host.hostname, port: host.port, username: host.username, password: host.password,
      vhost: this.#o.transport.vhost, heartbeat: 10,
    }, { timeout: this.#o.connectTimeoutMs })
    const lost = new Promise<true>(resolve => model.once('close', () => resolve(true)))
    model.on('error', (err: Error) => this.#log.warn({ errMessage: err.message }, 'bus connection error'))
    try {
      if (this.#closing) throw new Error('bus closing')
      const pub = await model.createConfirmChannel()
      pub.on('error', (err: Error) => this.#log.warn({ errMessage: err.message }, 'bus publish channel error'))
      pub.on('close', () => { if (this.#publisher === pub) this.#restart(model) })
      await pub.assertQueue(this.#o.queue, { durable: true })
      this.#model = model
      // NOTE: a snapshot: a subscriber added from here on attaches itself (subscribe sees #model).
      for (const c of [...this.#consumers]) await this.#attach(c, model)
      this.#publisher = pub
      for (const id of this.#buffer.drain()) this.#send(pub, id)
    } catch (err) {
      if (this.#model === model) this.#model = null
      await model.close().catch(() => undefined)
      throw err
    }
    this.#log.info({ broker: brokerLabel(host), consumers: this.#consumers.size }, 'bus connected')
    await lost
    this.#model = null
    this.#publisher = null
    if (!this.#closing) this.#log.warn({ broker: brokerLabel(host) }, 'bus connection lost; reconnecting')
    return true
  }

  async #attach(consumer: RabbitMqConsumer, model: ChannelModel): Promise<void> {
    try {
      await consumer.attach(model, this.#o.queue, this.#o.prefetch, () => this.#restart(model))
    } catch (err) {
      if (consumer.retired || this.#closing) return
      this.#log.warn({ errMessage: (err as Error).message }, 'bus consumer could not start; reconnecting')
      this.#restart(model)
    }
  }

  /** A channel failed alone: the connection is closed so that everything is set up again. */
  #restart(model: ChannelModel): void {
    if (this.#closing || this.#model !== model) return
    this.#publisher = null
    void model.close().catch(() => undefined)
  }
}
