import { createHash } from 'node:crypto'

/** The key under which a token's validation result is kept: its SHA-256 (the token itself is never stored). */
export const tokenKey = (token: string): string => createHash('sha256').update(token).digest('hex')

interface Entry<V> {
  readonly value: V
  readonly until: number
}

/**
 * A bounded in-process cache of validation results keyed by `tokenKey`, each
 * entry kept until its own deadline. When full, the least recently used entry
 * is dropped. Not shared between processes (keystonemiddleware's memcache
 * option is not offered).
 */
export class TokenCache<V> {
  readonly #entries = new Map<string, Entry<V>>()
  readonly #maxEntries: number

  constructor(maxEntries = 10000) {
    this.#maxEntries = Math.max(1, maxEntries)
  }

  /** The value kept for `key` if its deadline (ms since the epoch) is after `now`. */
  get(key: string, now = Date.now()): V | undefined {
    const e = this.#entries.get(key)
    if (!e) return undefined
    this.#entries.delete(key)
    if (e.until <= now) return undefined
    this.#entries.set(key, e) // most recently used last
    return e.value
  }

  /** Keeps `value` until `until` (ms since the epoch); a deadline not after `now` stores nothing. */
  set(key: string, value: V, until: number, now = Date.now()): void {
    this.#entries.delete(key)
    if (until <= now) return
    this.#entries.set(key, { value, until })
    while (this.#entries.size > this.#maxEntries) {
      const oldest = this.#entries.keys().next().value as string
      this.#entries.delete(oldest)
    }
  }

  get size(): number {
    return this.#entries.size
  }
}
