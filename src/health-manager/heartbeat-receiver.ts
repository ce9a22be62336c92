/**
 * The health manager's UDP endpoint (controlplane.md §5): receives heartbeat
 * datagrams, verifies and decodes them, drops bad or replayed ones (counted
 * per reason, logged at most once per reason per `logIntervalMs`) and hands
 * every valid message to `onHeartbeat`.
 */
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram'
import type { Logger } from '../common/logging.js'
import type { Runnable } from '../common/runnable.js'
import { decodeHeartbeat, HeartbeatDecodeError, MAX_HEARTBEAT_BYTES, type Heartbeat, type HeartbeatDropReason } from '../amphora-api/heartbeat-codec.js'

/** Every reason a datagram is dropped. */
export type ReceiverDropReason = HeartbeatDropReason | 'replay'

/** Where and when a heartbeat arrived. */
export interface HeartbeatMeta {
  /** Date.now() when the datagram was received (Octavia's `recv_time`). */
  readonly recvTime: number
  readonly from: { readonly address: string; readonly port: number }
}

export interface HeartbeatReceiverOptions {
  readonly bindIp: string
  /** 0 picks a free port (tests); see `address`. */
  readonly bindPort: number
  /** `[health_manager] heartbeat_key`. */
  readonly heartbeatKey: string
  /**
   * Called once per valid, non-replayed heartbeat, in arrival order. Not
   * awaited: a rejection is logged, never stops the receiver.
   */
  readonly onHeartbeat: (msg: Heartbeat, meta: HeartbeatMeta) => void | Promise<void>
  readonly log: Logger
  /** Minimum time between two drop warnings of the same reason; default 10 s. */
  readonly logIntervalMs?: number
  /**
   * Largest datagram accepted; default MAX_HEARTBEAT_BYTES (64 KiB). NOTE: IPv4 UDP cannot carry more than
   * 65507 bytes, so only a lower limit makes `oversized` drops observable on the wire.
   */
  readonly maxPacketBytes?: number
  /** Most amphora ids whose last seq is remembered; the oldest is forgotten past it. Default 100000. */
  readonly maxTrackedAmphorae?: number
}

const REASONS: readonly ReceiverDropReason[] = ['truncated', 'oversized', 'bad_hmac', 'bad_payload', 'bad_shape', 'replay']

export class HeartbeatReceiver implements Runnable {
  readonly name = 'heartbeat-receiver'
  readonly #opts: HeartbeatReceiverOptions
  readonly #lastSeq = new Map<string, number>()
  readonly #drops = new Map<ReceiverDropReason, number>(REASONS.map(r => [r, 0]))
  readonly #lastWarn = new Map<ReceiverDropReason, { at: number; dropsThen: number }>()
  #delivered = 0
  #socket: Socket | null = null
  #resolveStopped!: () => void
  readonly stopped = new Promise<void>((r) => { this.#resolveStopped = r })

  constructor(opts: HeartbeatReceiverOptions) {
    this.#opts = Object.freeze({ ...opts })
  }

  /** The bound address (after start). */
  get address(): { address: string; port: number } {
    if (this.#socket === null) throw new Error('heartbeat receiver is not listening')
    const a = this.#socket.address()
    return { address: a.address, port: a.port }
  }

  /** Dropped datagrams per reason, and delivered heartbeats, since start. */
  get counters(): { readonly dropped: Readonly<Record<ReceiverDropReason, number>>; readonly delivered: number } {
    return { dropped: Object.fromEntries(this.#drops) as Record<ReceiverDropReason, number>, delivered: this.#delivered }
  }

  /** Binds the socket; resolves once listening. Closes it when `signal` aborts. */
  async start(signal: AbortSignal): Promise<void> {
    const o = this.#opts
    const socket = createSocket({ type: o.bindIp.includes(':') ? 'udp6' : 'udp4', recvBufferSize: 4 * Math.max(o.maxPacketBytes ?? 0, MAX_HEARTBEAT_BYTES) })
    this.#socket = socket
    socket.on('message', (buf, rinfo) => this.#handle(buf, rinfo))
    socket.on('error', (err) => o.log.error({ err }, 'heartbeat socket error'))
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject)
      socket.bind({ address: o.bindIp, port: o.bindPort }, () => { socket.off('error', reject); resolve() })
    })
    o.log.info({ address: this.address }, 'heartbeat receiver listening')
    const close = (): void => { socket.close(() => this.#resolveStopped()) }
    if (signal.aborted) close()
    else signal.addEventListener('abort', close, { once: true })
  }

  #handle(buf: Buffer, rinfo: RemoteInfo): void {
    const recvTime = Date.now()
    let msg: Heartbeat
    try {
      msg = decodeHeartbeat(buf, this.#opts.heartbeatKey, this.#opts.maxPacketBytes)
    } catch (err) {
      // NOTE: decodeHeartbeat throws only HeartbeatDecodeError; anything else must not kill the socket either.
      const reason = err instanceof HeartbeatDecodeError ? err.reason : 'bad_payload'
      this.#drop(reason, rinfo, (err as Error).message)
      return
    }
    const last = this.#lastSeq.get(msg.id)
    if (last !== undefined && msg.seq <= last) {
      this.#drop('replay', rinfo, `seq ${msg.seq} <= last seen ${last}`, msg.id)
      return
    }
    this.#remember(msg.id, msg.seq)
    this.#delivered++
    const from = { address: rinfo.address, port: rinfo.port }
    try {
      void Promise.resolve(this.#opts.onHeartbeat(msg, { recvTime, from }))
        .catch((err: unknown) => this.#opts.log.error({ err, amphoraId: msg.id }, 'heartbeat handler failed'))
    } catch (err) {
      this.#opts.log.error({ err, amphoraId: msg.id }, 'heartbeat handler failed')
    }
  }

  /** Records the seq; a re-inserted key moves to the end, so the map's first key is the least recently heard. */
  #remember(id: string, seq: number): void {
    this.#lastSeq.delete(id)
    this.#lastSeq.set(id, seq)
    const max = this.#opts.maxTrackedAmphorae ?? 100_000
    if (this.#lastSeq.size > max) {
      const oldest = this.#lastSeq.keys().next().value
      if (oldest !== undefined) this.#lastSeq.delete(oldest)
    }
  }

  #drop(reason: ReceiverDropReason, rinfo: RemoteInfo, detail: string, amphoraId?: string): void {
    const total = (this.#drops.get(reason) ?? 0) + 1
    this.#drops.set(reason, total)
    const now = Date.now()
    const prev = this.#lastWarn.get(reason)
    if (prev !== undefined && now - prev.at < (this.#opts.logIntervalMs ?? 10_000)) return
    this.#lastWarn.set(reason, { at: now, dropsThen: total })
    this.#opts.log.warn({
      reason, from: `${rinfo.address}:${rinfo.port}`, amphoraId, detail, total,
      suppressed: prev === undefined ? 0 : total - prev.dropsThen - 1,
    }, 'heartbeat dropped')
  }
}
