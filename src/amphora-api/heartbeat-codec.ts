/**
 * Octavia's heartbeat envelope (controlplane.md §5): `zlib(JSON, level 9)`
 * followed by the HMAC-SHA256 of the compressed bytes, keyed with the UTF-8
 * `[health_manager] heartbeat_key`, as 64 lowercase hex ASCII characters
 * (older amphorae append the raw 32-byte digest instead; both are accepted).
 */
import { createHmac, timingSafeEqual } from 'node:crypto'
import { deflateSync, inflateSync } from 'node:zlib'

/** Largest datagram a receiver accepts (Octavia's UDP buffer). */
export const MAX_HEARTBEAT_BYTES = 64 * 1024
/** Largest decompressed JSON accepted (guards against zlib bombs). */
export const MAX_HEARTBEAT_JSON_BYTES = 1024 * 1024

const HEX_DIGEST_LEN = 64
const RAW_DIGEST_LEN = 32

/** Listener entry of a v3 heartbeat (stats are deltas, except `conns`). */
export interface HeartbeatListener {
  readonly status: string
  readonly stats?: {
    readonly tx?: number; readonly rx?: number; readonly conns?: number
    readonly totconns?: number; readonly ereq?: number
  }
}

/** Pool entry, keyed `<pool_id>:<listener_id>` (or `<pool_id>` for LVS). */
export interface HeartbeatPool {
  readonly status: string
  /** member id → `UP`, `DOWN`, `DRAIN`, `MAINT`, `no check`, ... */
  readonly members: Readonly<Record<string, string>>
}

/** A v3 heartbeat message. */
export interface Heartbeat {
  readonly id: string
  readonly seq: number
  readonly ver: 3
  readonly listeners: Readonly<Record<string, HeartbeatListener>>
  readonly pools: Readonly<Record<string, HeartbeatPool>>
  /**
   * octavia-ts extension (Octavia ignores unknown keys): set when the agent
   * saw the amphora break (its namespace vanished, a HAProxy or keepalived
   * died unasked); the reason, for logs. The health manager fails such an
   * amphora over at once instead of waiting for `heartbeat_timeout`. An
   * agent keeps sending it until the amphora is unregistered.
   */
  readonly failed?: string
}

/** Why a packet was rejected; used as the drop-counter label. */
export type HeartbeatDropReason = 'truncated' | 'oversized' | 'bad_hmac' | 'bad_payload' | 'bad_shape'

/** Thrown by decodeHeartbeat; `reason` is stable, the message is for logs. */
export class HeartbeatDecodeError extends Error {
  constructor(readonly reason: HeartbeatDropReason, msg: string) {
    super(msg)
    this.name = 'HeartbeatDecodeError'
  }
}

const hmac = (key: string, payload: Buffer): Buffer =>
  createHmac('sha256', Buffer.from(key, 'utf8')).update(payload).digest()

/**
 * Encodes `msg` as Octavia's v3 envelope with the hex digest. Pure and
 * deterministic: the same message and key always give the same bytes.
 */
export function encodeHeartbeat(msg: Heartbeat, key: string): Buffer {
  const payload = deflateSync(Buffer.from(JSON.stringify(msg), 'utf8'), { level: 9 })
  return Buffer.concat([payload, Buffer.from(hmac(key, payload).toString('hex'), 'ascii')])
}

/** The payload if `digest` (hex or raw, by length) matches, else null. Constant time. */
function verified(packet: Buffer, key: string, digestLen: number): Buffer | null {
  if (packet.length <= digestLen) return null
  const payload = packet.subarray(0, packet.length - digestLen)
  const given = packet.subarray(packet.length - digestLen)
  const raw = hmac(key, payload)
  const expected = digestLen === HEX_DIGEST_LEN ? Buffer.from(raw.toString('hex'), 'ascii') : raw
  return timingSafeEqual(given, expected) ? payload : null
}

/**
 * Verifies and decodes one datagram. Tries the 64-hex-char digest first, then
 * the legacy raw 32-byte digest, as Octavia does.
 * Throws HeartbeatDecodeError (never anything else) when the packet is too
 * short, larger than `maxBytes` (default MAX_HEARTBEAT_BYTES), fails the HMAC, is not zlib JSON,
 * or is not a v3 message.
 */
export function decodeHeartbeat(packet: Buffer, key: string, maxBytes = MAX_HEARTBEAT_BYTES): Heartbeat {
  if (packet.length > maxBytes) {
    throw new HeartbeatDecodeError('oversized', `packet of ${packet.length} bytes exceeds ${maxBytes}`)
  }
  if (packet.length <= RAW_DIGEST_LEN) {
    throw new HeartbeatDecodeError('truncated', `packet of ${packet.length} bytes is too short`)
  }
  const payload = verified(packet, key, HEX_DIGEST_LEN) ?? verified(packet, key, RAW_DIGEST_LEN)
  if (payload === null) throw new HeartbeatDecodeError('bad_hmac', 'hmac mismatch')
  let parsed: unknown
  try {
    const json = inflateSync(payload, { maxOutputLength: MAX_HEARTBEAT_JSON_BYTES })
    parsed = JSON.parse(json.toString('utf8'))
  } catch (err) {
    throw new HeartbeatDecodeError('bad_payload', `payload is not zlib-compressed json: ${(err as Error).message}`)
  }
  const problem = shapeProblem(parsed)
  if (problem !== null) throw new HeartbeatDecodeError('bad_shape', problem)
  return parsed as Heartbeat
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

/** Describes the first way `v` is not a v3 heartbeat, or null if it is one. */
function shapeProblem(v: unknown): string | null {
  if (!isObject(v)) return 'message is not an object'
  if (typeof v.id !== 'string' || v.id === '') return 'id is not a non-empty string'
  if (!Number.isSafeInteger(v.seq) || (v.seq as number) < 0) return 'seq is not a non-negative integer'
  if (v.ver !== 3) return `unsupported version ${JSON.stringify(v.ver)}`
  if (!isObject(v.listeners)) return 'listeners is not an object'
  for (const [id, l] of Object.entries(v.listeners)) {
    if (!isObject(l) || typeof l.status !== 'string') return `listener ${id} has no status`
    if (l.stats !== undefined && !isObject(l.stats)) return `listener ${id} stats is not an object`
  }
  if (v.failed !== undefined && typeof v.failed !== 'string') return 'failed is not a string'
  if (!isObject(v.pools)) return 'pools is not an object'
  for (const [id, p] of Object.entries(v.pools)) {
    if (!isObject(p) || typeof p.status !== 'string') return `pool ${id} has no status`
    if (!isObject(p.members)) return `pool ${id} members is not an object`
    for (const [m, s] of Object.entries(p.members)) {
      if (typeof s !== 'string') return `member ${m} of pool ${id} has no status`
    }
  }
  return null
}
