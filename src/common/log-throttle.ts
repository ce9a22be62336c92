/**
 * Rate limit for repetitive log lines (a heartbeat from an unknown amphora
 * arrives every second until someone acts): at most one line per key per
 * `intervalMs`, the next one saying how many were suppressed meanwhile.
 */
export class LogThrottle {
  readonly #intervalMs: number
  readonly #state = new Map<string, { at: number; suppressed: number }>()

  constructor(intervalMs: number) {
    this.#intervalMs = intervalMs
  }

  /**
   * Whether a line for `key` may be logged now: null when it must be
   * suppressed, else the number of lines suppressed since the last one.
   */
  take(key: string, now = Date.now()): number | null {
    const s = this.#state.get(key)
    if (s !== undefined && now - s.at < this.#intervalMs) {
      s.suppressed++
      return null
    }
    this.#state.set(key, { at: now, suppressed: 0 })
    // NOTE: bounded by the number of distinct keys callers use (a few reasons, or ids of misbehaving amphorae).
    if (this.#state.size > 10_000) this.#state.delete(this.#state.keys().next().value as string)
    return s?.suppressed ?? 0
  }
}
