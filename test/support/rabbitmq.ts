import { randomUUID } from 'node:crypto'
import { connect, type Channel, type ChannelModel } from 'amqplib'
import { createServer, connect as tcpConnect, type Server, type Socket } from 'node:net'
import { spawnSync } from 'node:child_process'
import type { RabbitTransport } from '../../src/bus/transport-url.js'

/** The RabbitMQ of this machine (guest/guest on 127.0.0.1:5672). */
export const RABBIT_HOST = { hostname: '127.0.0.1', port: 5672, username: 'guest', password: 'guest' } as const

/** The local broker's transport on `vhost` (default `/`), optionally through other host:ports first. */
export const localTransport = (vhost = '/', before: readonly number[] = []): RabbitTransport => ({
  hosts: [...before.map(port => ({ ...RABBIT_HOST, port })), RABBIT_HOST], vhost, ignoredOptions: [],
})

/**
 * A queue name of this test's own on the default virtual host, and an admin
 * channel to look at it; `dispose` deletes the queue and closes the channel.
 */
export interface ScratchQueue {
  readonly name: string
  /** Messages ready (not delivered) and consumers, as the broker counts them. */
  counts(): Promise<{ ready: number; consumers: number }>
  dispose(): Promise<void>
}

export async function scratchQueue(): Promise<ScratchQueue> {
  const name = `octavia_ts.test.${randomUUID()}`
  const model: ChannelModel = await connect({ protocol: 'amqp', ...RABBIT_HOST, vhost: '/' })
  model.on('error', () => undefined)
  // A channel per look: a failed operation closes its channel, never the next look's.
  const withChannel = async <T>(use: (ch: Channel) => Promise<T>): Promise<T> => {
    const ch = await model.createChannel()
    ch.on('error', () => undefined)
    try { return await use(ch) } finally { await ch.close().catch(() => undefined) }
  }
  return {
    name,
    counts: () => withChannel(async ch => {
      const q = await ch.assertQueue(name, { durable: true })
      return { ready: q.messageCount, consumers: q.consumerCount }
    }),
    dispose: async () => {
      try {
        await withChannel(ch => ch.deleteQueue(name))
      } finally {
        await model.close().catch(() => undefined)
      }
    },
  }
}

/**
 * A TCP relay on 127.0.0.1 to the local broker that the test opens and shuts:
 * while shut its port refuses connections and the relayed ones are cut.
 */
export class BrokerRelay {
  readonly #sockets = new Set<Socket>()
  #server: Server | null = null
  constructor(readonly port: number) {}

  async open(): Promise<void> {
    const server = createServer(client => {
      const upstream = tcpConnect(RABBIT_HOST.port, RABBIT_HOST.hostname)
      for (const s of [client, upstream]) { this.#sockets.add(s); s.on('error', () => undefined); s.on('close', () => this.#sockets.delete(s)) }
      client.pipe(upstream).pipe(client)
      client.on('close', () => upstream.destroy())
      upstream.on('close', () => client.destroy())
    })
    await new Promise<void>((resolve, reject) => { server.once('error', reject); server.listen(this.port, '127.0.0.1', () => resolve()) })
    this.#server = server
  }

  async shut(): Promise<void> {
    for (const s of this.#sockets) s.destroy()
    const server = this.#server
    this.#server = null
    if (server) await new Promise<void>(resolve => server.close(() => resolve()))
  }
}

/** `rabbitmqctl` (root) with its output; throws on failure. */
export function rabbitmqctl(...args: string[]): string {
  const r = spawnSync('rabbitmqctl', ['-q', ...args], { encoding: 'utf8', timeout: 60_000 })
  if (r.status !== 0) throw new Error(`rabbitmqctl ${args.join(' ')}: ${r.stderr || r.stdout}`)
  return r.stdout
}

/**
 * A virtual host and a user of this test's own (the password holds characters
 * a URL must percent-encode); `dispose` deletes both (and the vhost's queues).
 */
export function scratchVhost(): { readonly name: string; readonly user: string; readonly password: string; readonly url: string; dispose(): void } {
  const tag = randomUUID().slice(0, 8)
  const name = `octavia_ts_test_${tag}`
  const user = `octavia_ts_test_${tag}`
  const password = `s3cret@:/%${randomUUID().slice(0, 8)}`
  rabbitmqctl('add_vhost', name)
  try {
    rabbitmqctl('add_user', user, password)
    rabbitmqctl('set_permissions', '-p', name, user, '.*', '.*', '.*')
  } catch (err) {
    rabbitmqctl('delete_vhost', name)
    throw err
  }
  const url = `rabbit://${user}:${encodeURIComponent(password)}@127.0.0.1:${RABBIT_HOST.port}/${name}`
  return {
    name, user, password, url,
    dispose: () => {
      try { rabbitmqctl('delete_vhost', name) } finally { rabbitmqctl('delete_user', user) }
    },
  }
}
