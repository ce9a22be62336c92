import assert from 'node:assert/strict'
import { Writable } from 'node:stream'
import { setTimeout as sleep } from 'node:timers/promises'
import { describe, it } from 'node:test'
import { pino } from 'pino'
import { silentLogger, type Logger } from '../common/logging.js'
import { firstDelayMs, nextDelayMs, PeriodicJob } from './periodic-job.js'

/** A logger whose JSON lines are collected. */
function capturingLogger(): { log: Logger; lines: () => Record<string, unknown>[] } {
  const out: string[] = []
  const stream = new Writable({ write(chunk: Buffer, _enc, done) { out.push(chunk.toString()); done() } })
  const log: Logger = pino({ level: 'debug' }, stream)
  return { log, lines: () => out.join('').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>) }
}

/** Runs `n` draws of `f` with Math.random. */
const draws = (n: number, f: () => number): number[] => Array.from({ length: n }, f)

describe('periodic job delays', () => {
  it('when the first delay is drawn, then it is a fraction of the interval in [0, interval), spread over it', () => {
    assert.equal(firstDelayMs(60_000, () => 0), 0)
    assert.equal(firstDelayMs(60_000, () => 0.5), 30_000)
    assert.equal(firstDelayMs(60_000, () => 0.999_999), 59_999)
    for (const bad of [1, -0.2, Number.NaN]) assert.equal(firstDelayMs(60_000, () => bad), 0, `random() = ${bad}`)
    const all = draws(2000, () => firstDelayMs(60_000))
    assert.ok(all.every((d) => d >= 0 && d < 60_000), 'every first delay within [0, interval)')
    assert.ok(Math.min(...all) < 12_000 && Math.max(...all) > 48_000, `spread: ${Math.min(...all)}..${Math.max(...all)}`)
  })

  it('when later delays are drawn, then they stay within interval ± 10 % and use both sides', () => {
    assert.equal(nextDelayMs(3_600_000, 0.1, () => 0), 3_240_000)
    assert.equal(nextDelayMs(3_600_000, 0.1, () => 0.5), 3_600_000)
    assert.equal(nextDelayMs(3_600_000, 0.1, () => 0.999_999), 3_959_999)
    const all = draws(2000, () => nextDelayMs(30_000))
    assert.ok(all.every((d) => d >= 27_000 && d <= 33_000), `range ${Math.min(...all)}..${Math.max(...all)}`)
    assert.ok(all.some((d) => d < 29_000) && all.some((d) => d > 31_000), 'jitter goes both ways')
  })

  it('when the jitter is another fraction, then the bounds follow it; 0 means exactly the interval', () => {
    assert.ok(draws(500, () => nextDelayMs(1000, 0)).every((d) => d === 1000))
    assert.ok(draws(500, () => nextDelayMs(1000, 0.5)).every((d) => d >= 500 && d <= 1500))
    assert.ok(draws(500, () => nextDelayMs(1000, 7)).every((d) => d >= 0 && d <= 2000), 'a jitter above 1 is capped at 100 %')
  })
})

describe('PeriodicJob', () => {
  it('when rounds take long, then they never overlap and each waits at least 90 % of the interval after the previous one', async () => {
    const spans: { start: number; end: number }[] = []
    let active = 0
    let overlapped = false
    const job = new PeriodicJob({
      name: 'slow', intervalMs: 40, log: silentLogger(),
      run: async () => {
        if (active++ > 0) overlapped = true
        const start = performance.now()
        await sleep(60)
        spans.push({ start, end: performance.now() })
        active--
      },
    })
    const abort = new AbortController()
    await job.start(abort.signal)
    for (let i = 0; i < 100 && spans.length < 4; i++) await sleep(50)
    abort.abort()
    await job.stopped
    assert.equal(overlapped, false)
    assert.ok(spans.length >= 4, `${spans.length} rounds`)
    for (let i = 1; i < spans.length; i++) {
      const gap = (spans[i]?.start ?? 0) - (spans[i - 1]?.end ?? 0)
      assert.ok(gap >= 40 * 0.9 - 2, `gap ${gap} ms between rounds ${i - 1} and ${i}`)
    }
  })

  it('when stopped during a round, then stopped waits for that round and no round starts afterwards', async () => {
    let rounds = 0
    let finished = 0
    const job = new PeriodicJob({
      name: 'stop', intervalMs: 10, random: () => 0, log: silentLogger(),
      run: async () => { rounds++; await sleep(100); finished++ },
    })
    const abort = new AbortController()
    await job.start(abort.signal)
    for (let i = 0; i < 100 && rounds === 0; i++) await sleep(5)
    abort.abort()
    await job.stopped
    assert.equal(finished, rounds, 'the round in progress finished before stopped resolved')
    const seen = rounds
    await sleep(100)
    assert.equal(rounds, seen, 'no round after the stop')
  })

  it('when a round throws, then it is logged with the job name and the next round runs; a round logs its counts and duration', async () => {
    const { log, lines } = capturingLogger()
    let n = 0
    const job = new PeriodicJob({
      name: 'flaky', intervalMs: 10, random: () => 0, log,
      run: async () => {
        n++
        if (n === 1) throw new Error('database went away')
        return { purged: n }
      },
    })
    const abort = new AbortController()
    await job.start(abort.signal)
    for (let i = 0; i < 200 && n < 3; i++) await sleep(5)
    abort.abort()
    await job.stopped
    assert.ok(n >= 3, `${n} rounds`)
    const failed = lines().find((l) => l.msg === 'periodic job round failed; retrying next round')
    assert.equal(failed?.job, 'flaky')
    assert.match(String((failed?.err as { message?: string } | undefined)?.message), /database went away/)
    const done = lines().find((l) => l.msg === 'periodic job round done')
    assert.equal(done?.job, 'flaky')
    assert.equal(done?.purged, 2)
    assert.equal(done?.level, 30, 'a round that did something logs at info')
    assert.equal(typeof done?.durationMs, 'number')
  })

  it('when the signal is already aborted, then no round runs and stopped resolves', async () => {
    let rounds = 0
    const job = new PeriodicJob({ name: 'never', intervalMs: 5, random: () => 0, log: silentLogger(), run: async () => { rounds++ } })
    const abort = new AbortController()
    abort.abort()
    await job.start(abort.signal)
    await job.stopped
    await sleep(30)
    assert.equal(rounds, 0)
  })
})
