import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { createHmac } from 'node:crypto'
import { before, describe, it } from 'node:test'
import { promisify } from 'node:util'
import { deflateSync } from 'node:zlib'
import {
  decodeHeartbeat, encodeHeartbeat, HeartbeatDecodeError, MAX_HEARTBEAT_BYTES, type Heartbeat, type HeartbeatDropReason,
} from './heartbeat-codec.js'

const KEY = 'insecure-ké'
const MSG: Heartbeat = {
  id: 'a0b1c2d3-0000-4000-8000-000000000001', seq: 7, ver: 3,
  listeners: { 'l-1': { status: 'OPEN', stats: { tx: 10, rx: 20, conns: 1, totconns: 3, ereq: 0 } } },
  pools: { 'p-1:l-1': { status: 'UP', members: { 'm-1': 'UP', 'm-2': 'no check' } } },
}

/** Octavia's wrap_envelope, in Python (compact separators so the JSON text equals JSON.stringify's). */
const PY = `
import hashlib, hmac, json, sys, zlib
obj = json.loads(sys.argv[1]); key = sys.argv[2]
payload = zlib.compress(json.dumps(obj, separators=(',', ':')).encode('utf-8'), 9)
d = hmac.new(key.encode('utf-8'), payload, hashlib.sha256)
sys.stdout.write((payload + d.hexdigest().encode('utf-8')).hex() + ' ' + (payload + d.digest()).hex())
`

/** Octavia's get_payload(hex=True), in Python: prints the JSON or fails. */
const PY_UNWRAP = `
import hashlib, hmac, sys, zlib
env = bytes.fromhex(sys.argv[1]); key = sys.argv[2]
payload, given = env[:-64], env[-64:]
calc = hmac.new(key.encode('utf-8'), payload, hashlib.sha256).hexdigest().encode('utf-8')
assert hmac.compare_digest(given, calc), 'hmac mismatch'
sys.stdout.write(zlib.decompress(payload).decode('utf-8'))
`

const expectDrop = (packet: Buffer, reason: HeartbeatDropReason, key = KEY): void => {
  assert.throws(() => decodeHeartbeat(packet, key), (e: unknown) => e instanceof HeartbeatDecodeError && e.reason === reason)
}

const envelope = (json: string, key = KEY): Buffer => {
  const payload = deflateSync(Buffer.from(json), { level: 9 })
  return Buffer.concat([payload, Buffer.from(createHmac('sha256', key).update(payload).digest('hex'))])
}

describe('heartbeat codec', () => {
  let pyHex: Buffer
  let pyRaw: Buffer
  before(async () => {
    const { stdout } = await promisify(execFile)('python3', ['-c', PY, JSON.stringify(MSG), KEY])
    const [hex, raw] = stdout.trim().split(' ')
    pyHex = Buffer.from(hex!, 'hex')
    pyRaw = Buffer.from(raw!, 'hex')
  })

  // NOTE: Node bundles Chromium's zlib, whose level-9 output may differ from the system zlib's for the same input;
  // compatibility is about the envelope (the HMAC covers whatever bytes were sent), so Python checks ours instead.
  it('when a message is encoded, then Python (Octavia get_payload logic) verifies the hex HMAC and decodes it', async () => {
    const { stdout } = await promisify(execFile)('python3', ['-c', PY_UNWRAP, encodeHeartbeat(MSG, KEY).toString('hex'), KEY])
    assert.deepEqual(JSON.parse(stdout), MSG)
  })

  it('when a message is encoded, then it is zlib level 9 (header 78 da) followed by 64 lowercase hex chars', () => {
    const p = encodeHeartbeat(MSG, KEY)
    assert.equal(p.subarray(0, 2).toString('hex'), '78da')
    assert.match(p.subarray(p.length - 64).toString('ascii'), /^[0-9a-f]{64}$/)
  })

  it('when a Python-made envelope with a hex digest is decoded, then the message comes back', () => {
    assert.deepEqual(decodeHeartbeat(pyHex, KEY), MSG)
  })

  it('when a legacy envelope with the raw 32-byte digest is decoded, then it is accepted', () => {
    assert.deepEqual(decodeHeartbeat(pyRaw, KEY), MSG)
  })

  it('when encoded and decoded, then the round trip is lossless', () => {
    assert.deepEqual(decodeHeartbeat(encodeHeartbeat(MSG, KEY), KEY), MSG)
  })

  it('when the key differs, then the packet is dropped as bad_hmac', () => {
    expectDrop(pyHex, 'bad_hmac', 'other-key')
  })

  it('when one payload byte is flipped, then the packet is dropped as bad_hmac', () => {
    const p = Buffer.from(pyHex)
    p[3] = p[3]! ^ 0xff
    expectDrop(p, 'bad_hmac')
  })

  it('when the hex digest is uppercase, then it is dropped (Octavia compares bytes)', () => {
    const p = Buffer.from(pyHex)
    const n = p.length
    Buffer.from(p.subarray(n - 64).toString('ascii').toUpperCase(), 'ascii').copy(p, n - 64)
    expectDrop(p, 'bad_hmac')
  })

  it('when the packet is cut short, then it is dropped as truncated or bad_hmac', () => {
    expectDrop(pyHex.subarray(0, 32), 'truncated')
    expectDrop(Buffer.alloc(0), 'truncated')
    expectDrop(pyHex.subarray(0, pyHex.length - 1), 'bad_hmac')
  })

  it('when the packet exceeds 64 KiB, then it is dropped as oversized before any HMAC work', () => {
    expectDrop(Buffer.alloc(MAX_HEARTBEAT_BYTES + 1), 'oversized')
  })

  it('when the signed payload is not zlib json, then it is dropped as bad_payload', () => {
    const notZlib = Buffer.from('hello, not compressed')
    expectDrop(Buffer.concat([notZlib, Buffer.from(createHmac('sha256', KEY).update(notZlib).digest('hex'))]), 'bad_payload')
    expectDrop(envelope('{not json'), 'bad_payload')
  })

  it('when the json decompresses beyond 1 MiB, then it is dropped as bad_payload', () => {
    expectDrop(envelope(JSON.stringify({ ...MSG, pad: 'x'.repeat(2 * 1024 * 1024) })), 'bad_payload')
  })

  it('when the json is not a v3 heartbeat, then it is dropped as bad_shape', () => {
    const bad: unknown[] = [
      [], 'x', { ...MSG, id: 1 }, { ...MSG, id: '' }, { ...MSG, seq: -1 }, { ...MSG, seq: 1.5 }, { ...MSG, ver: 2 },
      { ...MSG, listeners: [] }, { ...MSG, listeners: { l: { stats: {} } } }, { ...MSG, pools: null },
      { ...MSG, pools: { 'p:l': { status: 'UP' } } }, { ...MSG, pools: { 'p:l': { status: 'UP', members: { m: 1 } } } },
    ]
    for (const b of bad) expectDrop(envelope(JSON.stringify(b)), 'bad_shape')
  })
})
