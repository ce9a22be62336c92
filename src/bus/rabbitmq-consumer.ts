import type { Channel, ChannelModel, ConsumeMessage } from 'amqplib'
import type { Logger } from '../common/logging.js'

/**
 * One subscriber of the RabbitMQ bus: a channel of its own with
 * `prefetch` unacknowledged messages at most, each acknowledged when the
 * subscriber's handler resolves and requeued when it rejects.
 */
export class RabbitMqConsumer {
  readonly #onJob: (jobId: string) => Promise<void>
  readonly #log: Logger
  readonly #inFlight = new Set<Promise<void>>()
  #channel: Channel | null = null
  #tag: string | null = null
  #retired = false

  constructor(onJob: (jobId: string) => Promise<void>, log: Logger) {
    this.#onJob = onJob
    this.#log = log
  }

  get retired(): boolean { return this.#retired }

  /**
   * Consumes `queue` on a new channel of `model`. `onLost` is called when the
   * channel ends while the consumer is still wanted (the caller reconnects).
   */
  async attach(model: ChannelModel, queue: string, prefetch: number, onLost: () => void): Promise<void> {
    const ch = await model.createChannel()
    ch.on('error', (err: Error) => this.#log.warn({ errMessage: err.message }, 'bus consumer channel error'))
    ch.on('close', () => {
      if (this.#channel !== ch) return
      this.#channel = null
      if (!this.#retired) onLost()
    })
    this.#channel = ch
    await ch.prefetch(prefetch)
    const { consumerTag } = await ch.consume(queue, msg => {
      // null: the broker cancelled the consumer (queue deleted): start over.
      if (msg === null) onLost()
      else this.#deliver(ch, msg)
    }, { noAck: false })
    this.#tag = consumerTag
  }

  #deliver(ch: Channel, msg: ConsumeMessage): void {
    const jobId = msg.content.toString('utf8')
    const handled = Promise.resolve()
      .then(() => this.#onJob(jobId))
      .then(() => this.#settle(ch, msg, true), (err: unknown) => {
        this.#log.debug({ jobId, errMessage: (err as Error).message }, 'bus message requeued')
        this.#settle(ch, msg, false)
      })
    this.#inFlight.add(handled)
    void handled.finally(() => this.#inFlight.delete(handled))
  }

  /** Acks or requeues `msg`; a message of a channel that has closed is already back in the queue. */
  #settle(ch: Channel, msg: ConsumeMessage, ok: boolean): void {
    if (this.#channel !== ch) return
    try {
      if (ok) ch.ack(msg)
      else ch.nack(msg, false, true)
    } catch {
      // NOTE: the channel closed meanwhile: the broker requeues the message itself.
    }
  }

  /**
   * Stops taking messages, lets the handlers in flight settle (ack or
   * requeue) for up to `graceMs`, then closes the channel (whatever is
   * still unacknowledged goes back to the queue). Idempotent.
   */
  async retire(graceMs: number): Promise<void> {
    this.#retired = true
    const ch = this.#channel
    if (!ch) return
    if (this.#tag) await ch.cancel(this.#tag).catch(() => undefined)
    let timer: NodeJS.Timeout | undefined
    await Promise.race([
      Promise.allSettled([...this.#inFlight]),
      new Promise(resolve => { timer = setTimeout(resolve, graceMs) }),
    ])
    clearTimeout(timer)
    this.#channel = null
    await ch.close().catch(() => undefined)
  }
}
