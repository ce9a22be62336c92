/**
 * The job ids published while no broker connection is up, sent once one is.
 * Bounded: when full, the oldest id is dropped (its job waits for a worker's
 * database poll), so a long outage costs memory for `limit` ids at most and
 * `publish` never waits.
 */
export class PublishBuffer {
  readonly #ids: string[] = []
  readonly #limit: number
  #dropped = 0

  constructor(limit: number) {
    this.#limit = Math.max(1, limit)
  }

  /** Keeps `jobId`; returns true when an older id had to be dropped for it. */
  push(jobId: string): boolean {
    this.#ids.push(jobId)
    if (this.#ids.length <= this.#limit) return false
    this.#ids.shift()
    this.#dropped++
    return true
  }

  /** Empties the buffer, oldest first. */
  drain(): string[] {
    return this.#ids.splice(0)
  }

  get size(): number { return this.#ids.length }
  /** Ids dropped so far because the buffer was full. */
  get dropped(): number { return this.#dropped }
}
