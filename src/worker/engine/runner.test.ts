import { test } from 'node:test'
import assert from 'node:assert/strict'
import { TerminalError } from '../../common/errors.js'
import { silentLogger } from '../../common/logging.js'
import { linear } from './flow.js'
import { LeaseLostError, type JobProgress, type JobStore } from './job-store.js'
import { runFlow, type RetryPolicy } from './runner.js'
import type { Task, TaskContext } from './task.js'

const fast: RetryPolicy = { maxAttempts: 3, baseBackoffMs: 1, maxBackoffMs: 2 }

/** An in-memory JobStore that records every write. */
function memoryStore(): JobStore & { writes: string[]; progress: { state: string; step: number; results: Record<string, unknown> } } {
  const progress = { state: 'RUNNING', step: 0, results: {} as Record<string, unknown> }
  const writes: string[] = []
  return {
    writes, progress,
    taskDone: async (step, results) => { writes.push(`done ${step}`); progress.step = step + 1; progress.results = { ...results } },
    taskFailed: async attempts => { writes.push(`failed ${attempts}`) },
    startRevert: async (step, error) => { writes.push(`revert from ${step}: ${error}`); progress.state = 'REVERTING'; progress.step = step },
    revertDone: async step => { writes.push(`reverted ${step}`); progress.step = step },
    finish: async state => { writes.push(state); progress.state = state },
  }
}

function ctx(signal = new AbortController().signal): TaskContext {
  return { jobId: 'j1', loadBalancerId: 'lb1', log: silentLogger(), signal, db: undefined as never, network: undefined as never }
}

function task(journal: string[], name: string, behaviour: (n: number) => unknown = () => `${name}!`): Task<unknown, unknown> {
  let calls = 0
  return {
    name,
    execute: async () => { journal.push(`exec ${name}`); return behaviour(++calls) },
    revert: async (_c, result) => { journal.push(`revert ${name} ${String(result)}`) },
  }
}

const start: JobProgress = { state: 'RUNNING', step: 0, results: {}, attempts: 0 }

test('when every task succeeds, then they run in order, each recorded, and the job is DONE', async () => {
  const journal: string[] = []
  const store = memoryStore()
  const outcome = await runFlow(linear('f', [task(journal, 'a'), linear('inner', [task(journal, 'b')]), task(journal, 'c')]), {}, start, store, ctx(), fast)
  assert.equal(outcome, 'DONE')
  assert.deepEqual(journal, ['exec a', 'exec b', 'exec c'])
  assert.deepEqual(store.writes, ['done 0', 'done 1', 'done 2', 'DONE'])
  assert.deepEqual(store.progress.results, { a: 'a!', b: 'b!', c: 'c!' })
})

test('when resumed at a step, then earlier tasks are not run and their recorded results are visible', async () => {
  const journal: string[] = []
  let seen: unknown
  const b: Task<unknown, unknown> = { name: 'b', execute: async (_c, input) => { seen = input.results.a; journal.push('exec b'); return 1 }, revert: async () => {} }
  const outcome = await runFlow(linear('f', [task(journal, 'a'), b]), {}, { ...start, step: 1, results: { a: 'recorded' } }, memoryStore(), ctx(), fast)
  assert.equal(outcome, 'DONE')
  assert.deepEqual(journal, ['exec b'])
  assert.equal(seen, 'recorded')
})

test('when a task throws TerminalError, then it and the finished tasks revert in reverse order and the job is FAILED', async () => {
  const journal: string[] = []
  const store = memoryStore()
  const flow = linear('f', [task(journal, 'a'), task(journal, 'b', () => { throw new TerminalError('no') }), task(journal, 'c')])
  assert.equal(await runFlow(flow, {}, start, store, ctx(), fast), 'FAILED')
  assert.deepEqual(journal, ['exec a', 'exec b', 'revert b undefined', 'revert a a!'])
  assert.deepEqual(store.writes, ['done 0', 'revert from 2: b: no', 'reverted 1', 'reverted 0', 'FAILED'])
})

test('when a task throws a plain error, then it is retried up to maxAttempts before reverting', async () => {
  const journal: string[] = []
  const store = memoryStore()
  const flow = linear('f', [task(journal, 'a', n => { if (n < 3) throw new Error(`try ${n}`); return 'ok' })])
  assert.equal(await runFlow(flow, {}, start, store, ctx(), fast), 'DONE')
  assert.deepEqual(store.writes, ['failed 1', 'failed 2', 'done 0', 'DONE'])
  const store2 = memoryStore()
  const always = linear('f', [task([], 'x', () => { throw new Error('nope') })])
  assert.equal(await runFlow(always, {}, start, store2, ctx(), fast), 'FAILED')
  assert.deepEqual(store2.writes, ['failed 1', 'failed 2', 'revert from 1: x: nope', 'reverted 0', 'FAILED'])
})

test('when attempts were already recorded, then the retry budget continues from them', async () => {
  const store = memoryStore()
  const flow = linear('f', [task([], 'x', () => { throw new Error('nope') })])
  assert.equal(await runFlow(flow, {}, { ...start, attempts: 2 }, store, ctx(), fast), 'FAILED')
  assert.deepEqual(store.writes, ['revert from 1: x: nope', 'reverted 0', 'FAILED'])
})

test('when resumed while REVERTING, then only the remaining tasks revert', async () => {
  const journal: string[] = []
  const store = memoryStore()
  const flow = linear('f', [task(journal, 'a'), task(journal, 'b'), task(journal, 'c')])
  const outcome = await runFlow(flow, {}, { state: 'REVERTING', step: 1, results: { a: 'A', b: 'B' }, attempts: 0 }, store, ctx(), fast)
  assert.equal(outcome, 'FAILED')
  assert.deepEqual(journal, ['revert a A'])
})

test('when a revert throws, then the runner logs it and goes on reverting', async () => {
  const journal: string[] = []
  const bad: Task<unknown, unknown> = { name: 'bad', execute: async () => 1, revert: async () => { throw new Error('revert broke') } }
  const flow = linear('f', [task(journal, 'a'), bad, task(journal, 'c', () => { throw new TerminalError('x') })])
  assert.equal(await runFlow(flow, {}, start, memoryStore(), ctx(), fast), 'FAILED')
  assert.deepEqual(journal, ['exec a', 'exec c', 'revert c undefined', 'revert a a!'])
})

test('when the signal aborts during a task, then the run PAUSES after it without recording a failure', async () => {
  const abort = new AbortController()
  const store = memoryStore()
  const flow = linear('f', [
    { name: 'a', execute: async () => { abort.abort(); return 'A' }, revert: async () => {} },
    { name: 'b', execute: async () => 'B', revert: async () => {} },
  ])
  assert.equal(await runFlow(flow, {}, start, store, ctx(abort.signal), fast), 'PAUSED')
  assert.deepEqual(store.writes, ['done 0'])
})

test('when the store reports a lost lease, then the run stops with LeaseLostError', async () => {
  const store = { ...memoryStore(), taskDone: async () => { throw new LeaseLostError('j1') } }
  await assert.rejects(runFlow(linear('f', [task([], 'a'), task([], 'b')]), {}, start, store, ctx(), fast), LeaseLostError)
})

test('when two tasks of a flow share a name, then the flow is rejected', async () => {
  await assert.rejects(runFlow(linear('f', [task([], 'a'), task([], 'a')]), {}, start, memoryStore(), ctx(), fast), /two tasks named 'a'/)
})
