import { TerminalError } from '../../src/common/errors.js'
import { createNoopProviderDriver } from '../../src/worker/providers/noop/noop-provider-driver.js'
import type { ProviderDriver } from '../../src/worker/providers/provider-driver.js'
import { providerRegistryOf, type ProviderRegistry } from '../../src/worker/providers/registry.js'
import type { Flow } from '../../src/worker/engine/flow.js'
import { sleep } from '../../src/worker/engine/sleep.js'
import type { Task } from '../../src/worker/engine/task.js'

/** What recording tasks saw, in order: `<jobId> exec|revert <task>`. */
export type Journal = string[]

/** A task that records its execute and revert; options make it slow or failing. */
export function recordingTask(journal: Journal, name: string, opts: {
  delayMs?: number; failTimes?: number; terminal?: boolean; result?: unknown; onExecute?: (results: Readonly<Record<string, unknown>>) => void
} = {}): Task<unknown, unknown> {
  const failures = new Map<string, number>()
  return {
    name,
    execute: async (ctx, input) => {
      journal.push(`${ctx.jobId} exec ${name}`)
      opts.onExecute?.(input.results)
      if (opts.delayMs) await sleep(opts.delayMs, ctx.signal)
      const failed = failures.get(ctx.jobId) ?? 0
      if (opts.failTimes !== undefined && failed < opts.failTimes) {
        failures.set(ctx.jobId, failed + 1)
        throw opts.terminal ? new TerminalError(`${name} broke`) : new Error(`${name} flaked`)
      }
      journal.push(`${ctx.jobId} done ${name}`)
      return opts.result ?? `${name}-result`
    },
    revert: async (ctx, result) => {
      journal.push(`${ctx.jobId} revert ${name} ${JSON.stringify(result ?? null)}`)
    },
  }
}

/**
 * A registry with the provider `test_driver`: the noop driver, except that
 * listener_create runs `flow`.
 */
export function testProviders(flow: Flow): ProviderRegistry {
  const noop = createNoopProviderDriver({ task_delay_ms: 0 })
  const driver: ProviderDriver = { ...noop, name: 'test_driver', operations: { ...noop.operations, listener_create: () => flow } }
  return providerRegistryOf([driver, createNoopProviderDriver({ task_delay_ms: 0 })])
}

/** The journal lines of one job, without the job id. */
export const linesOf = (journal: Journal, jobId: string): string[] =>
  journal.filter(l => l.startsWith(`${jobId} `)).map(l => l.slice(jobId.length + 1))
