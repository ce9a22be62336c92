import type { Bus } from './bus.js'

/** The embedded bus: delivers job ids to the consumers of this process. */
export class InProcessBus implements Bus {
  readonly #consumers = new Set<(jobId: string) => void>()

  publish(jobId: string): void {
    for (const c of this.#consumers) queueMicrotask(() => c(jobId))
  }

  subscribe(onJob: (jobId: string) => void): () => void {
    this.#consumers.add(onJob)
    return () => this.#consumers.delete(onJob)
  }
}
