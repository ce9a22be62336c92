import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import type { AmphoraStats } from '../../amphora-api/agent-api.js'
import type { AmphoraStatsReading } from '../amphora-stats.js'
import { addStatRows, parseShowStat } from '../haproxy/show-stat.js'
import { buildHeartbeat, nextSeq, type AmphoraHeartbeatState } from './heartbeat-message.js'
import { loadHeartbeatState, saveHeartbeatState } from './heartbeat-state-file.js'

const AMP = 'a0a0a0a0-0000-4000-8000-000000000001'
const L1 = 'aaaaaaaa-0000-4000-8000-000000000001'
const L2 = 'aaaaaaaa-0000-4000-8000-000000000002'
const P1 = `bbbbbbbb-0000-4000-8000-000000000001:${L1}`
const HEADER = '# pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,ereq,econ,eresp,wretr,wredis,status,weight,check_desc'

/** A frontend row of `show stat` with the counters the heartbeat uses. */
const frontend = (id: string, c: { scur: number; stot: number; bin: number; bout: number; ereq: number }): string =>
  `${id},FRONTEND,,,${c.scur},5,100,${c.stot},${c.bin},${c.bout},0,0,${c.ereq},,,,,OPEN,,`

/** What readAmphoraStats makes of this `show stat` text (failures: lbs that did not answer). */
function reading(rows: readonly string[], failedLbs: readonly string[] = []): AmphoraStatsReading {
  const stats: { listeners: Record<string, AmphoraStats['listeners'][string]>; pools: Record<string, AmphoraStats['pools'][string]> } =
    { listeners: {}, pools: {} }
  addStatRows(parseShowStat(`${HEADER}\n${rows.join('\n')}\n`), stats)
  return { stats, failures: failedLbs.map((lbId) => ({ lbId, error: new Error('no answer') })) }
}

const build = (r: AmphoraStatsReading, previous: AmphoraHeartbeatState | undefined, now: number, failed: string | null = null) =>
  buildHeartbeat({ amphoraId: AMP, reading: r, previous, now, failed })

describe('heartbeat message', () => {
  it('when it is the first message, then counters are sent whole, conns as is, seq is the time', () => {
    const { message } = build(reading([frontend(L1, { scur: 3, stot: 42, bin: 1000, bout: 2000, ereq: 1 })]), undefined, 1_700_000_000_123)
    assert.deepEqual(message, {
      id: AMP, seq: 1_700_000_000_123, ver: 3,
      listeners: { [L1]: { status: 'OPEN', stats: { tx: 2000, rx: 1000, conns: 3, totconns: 42, ereq: 1 } } },
      pools: {},
    })
  })

  it('when counters grew, then the next message carries the differences and conns stays absolute', () => {
    const first = build(reading([frontend(L1, { scur: 3, stot: 42, bin: 1000, bout: 2000, ereq: 1 })]), undefined, 1000)
    const second = build(reading([frontend(L1, { scur: 7, stot: 50, bin: 1500, bout: 2600, ereq: 1 })]), first.state, 2000)
    assert.deepEqual(second.message.listeners[L1]?.stats, { tx: 600, rx: 500, conns: 7, totconns: 8, ereq: 0 })
    assert.equal(second.message.seq, 2000)
  })

  it('when a counter went down (HAProxy restarted), then it counts from zero and the others stay deltas', () => {
    const first = build(reading([frontend(L1, { scur: 2, stot: 100, bin: 9000, bout: 9000, ereq: 4 })]), undefined, 1000)
    const second = build(reading([frontend(L1, { scur: 1, stot: 3, bin: 9500, bout: 120, ereq: 4 })]), first.state, 2000)
    assert.deepEqual(second.message.listeners[L1]?.stats, { tx: 120, rx: 500, conns: 1, totconns: 3, ereq: 0 })
    const third = build(reading([frontend(L1, { scur: 0, stot: 5, bin: 9600, bout: 200, ereq: 4 })]), second.state, 3000)
    assert.deepEqual(third.message.listeners[L1]?.stats, { tx: 80, rx: 100, conns: 0, totconns: 2, ereq: 0 })
  })

  it('when members are drained, in maintenance, down or unchecked, then their HAProxy status passes through', () => {
    const { message } = build(reading([
      frontend(L1, { scur: 0, stot: 0, bin: 0, bout: 0, ereq: 0 }),
      `${P1},m-up,0,0,1,1,,20,0,0,,0,,0,0,0,0,UP,1,`,
      `${P1},m-weight0,0,0,0,0,,0,0,0,,0,,0,0,0,0,UP,0,`,
      `${P1},m-drain,0,0,0,0,,0,0,0,,0,,0,0,0,0,DRAIN,1,`,
      `${P1},m-maint,0,0,0,0,,0,0,0,,0,,0,0,0,0,MAINT,1,`,
      `${P1},m-nocheck,0,0,0,0,,0,0,0,,0,,0,0,0,0,no check,1,`,
      `${P1},m-down,0,0,0,0,,0,0,0,,0,,0,0,0,0,DOWN 1/2,1,"Layer4 connection problem"`,
      `${P1},BACKEND,0,0,1,1,10,20,0,0,0,0,,0,0,0,0,UP,4,`,
    ]), undefined, 1000)
    assert.deepEqual(message.pools, {
      [P1]: { status: 'UP', members: { 'm-up': 'UP', 'm-weight0': 'DRAIN', 'm-drain': 'DRAIN', 'm-maint': 'MAINT', 'm-nocheck': 'no check', 'm-down': 'DOWN' } },
    })
  })

  it('when a listener is missing because a HAProxy did not answer, then its counters are kept; when every HAProxy answered, then it is forgotten', () => {
    const both = build(reading([frontend(L1, { scur: 0, stot: 10, bin: 100, bout: 100, ereq: 0 }), frontend(L2, { scur: 0, stot: 20, bin: 200, bout: 200, ereq: 0 })]), undefined, 1000)
    const partial = build(reading([frontend(L1, { scur: 0, stot: 11, bin: 110, bout: 110, ereq: 0 })], ['lb-2']), both.state, 2000)
    assert.deepEqual(Object.keys(partial.message.listeners), [L1])
    const back = build(reading([frontend(L1, { scur: 0, stot: 11, bin: 110, bout: 110, ereq: 0 }), frontend(L2, { scur: 0, stot: 25, bin: 250, bout: 250, ereq: 0 })]), partial.state, 3000)
    assert.deepEqual(back.message.listeners[L2]?.stats, { tx: 50, rx: 50, conns: 0, totconns: 5, ereq: 0 }, 'no double counting after a missed read')
    const gone = build(reading([frontend(L1, { scur: 0, stot: 11, bin: 110, bout: 110, ereq: 0 })]), back.state, 4000)
    assert.deepEqual(Object.keys(gone.state.listeners), [L1])
  })

  it('when the amphora has no HAProxy, then the message has empty listeners and pools; when it failed, then it carries the reason', () => {
    const empty = { stats: { listeners: {}, pools: {} }, failures: [] }
    const ok = build(empty, undefined, 1000)
    assert.deepEqual(ok.message, { id: AMP, seq: 1000, ver: 3, listeners: {}, pools: {} })
    assert.equal('failed' in ok.message, false)
    assert.equal(build(empty, ok.state, 2000, 'network namespace x vanished').message.failed, 'network namespace x vanished')
  })

  it('when the clock stands still or goes back, then seq still increases by one', () => {
    assert.equal(nextSeq(undefined, 5000.7), 5000)
    assert.equal(nextSeq(5000, 5000), 5001)
    assert.equal(nextSeq(9000, 4000), 9001)
    assert.equal(nextSeq(9000, 12000), 12000)
  })

  it('when the agent restarts from the saved state, then seq keeps increasing and deltas continue from the last counters sent', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'octavia-hb-'))
    try {
      const file = join(dir, 'heartbeats.json')
      const rows = [frontend(L1, { scur: 1, stot: 30, bin: 3000, bout: 4000, ereq: 2 })]
      const first = build(reading(rows), undefined, 50_000)
      await saveHeartbeatState(file, new Map([[AMP, first.state]]))
      // A restarted agent whose clock went back: only the saved seq keeps the order.
      const restored = (await loadHeartbeatState(file)).get(AMP)
      const after = build(reading([frontend(L1, { scur: 1, stot: 31, bin: 3100, bout: 4100, ereq: 2 })]), restored, 20_000)
      assert.equal(after.message.seq, 50_001)
      assert.deepEqual(after.message.listeners[L1]?.stats, { tx: 100, rx: 100, conns: 1, totconns: 1, ereq: 0 })
      assert.deepEqual(await loadHeartbeatState(join(dir, 'missing.json')), new Map())
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
