/** Delays between two connection attempts: exponential from `initialMs`, capped at `maxMs`. */
export interface Backoff {
  readonly initialMs: number
  readonly maxMs: number
}

export const DEFAULT_BACKOFF: Backoff = Object.freeze({ initialMs: 200, maxMs: 10_000 })

/** The delay before attempt `failures + 1` (after `failures` failed ones in a row, ≥ 1). */
export const backoffDelay = (b: Backoff, failures: number): number =>
  Math.min(b.maxMs, b.initialMs * 2 ** Math.max(0, Math.min(failures - 1, 30)))

/** A sleep that `cancel` ends early (the bus is closing). */
export function cancellableSleep(ms: number): { done: Promise<void>; cancel: () => void } {
  let cancel = (): void => undefined
  const done = new Promise<void>(resolve => {
    const timer = setTimeout(resolve, ms)
    cancel = () => { clearTimeout(timer); resolve() }
  })
  return { done, cancel }
}
