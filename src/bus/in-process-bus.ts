import type { Bus } from './bus.js'

/** The embedded bus: delivers job ids to the consumers of this process, without acknowledgements. */
export class InProcessBus implements Bus {
  readonly #consumers = new Set<(jobId: string) => Promise<void>>()

  publish(jobId: string): void {
    // NOTE: a rejection means nothing here (no broker to requeue to): the job is in the database.
    for (const c of this.#consumers) queueMicrotask(() => { c(jobId).catch(() => undefined) })
  }

  subscribe(onJob: (jobId: string) => Promise<void>): () => void {
    this.#consumers.add(onJob)
    return () => this.#consumers.delete(onJob)
  }

  async close(): Promise<void> {
    this.#consumers.clear()
  }
}
