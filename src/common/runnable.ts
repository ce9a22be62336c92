/**
 * A long-running part of octavia-ts (API server, worker, health manager...).
 * `start` resolves once the part is ready to serve and keeps running until `signal`
 * aborts; `stopped` resolves when it has released everything it held.
 */
export interface Runnable {
  readonly name: string
  start(signal: AbortSignal): Promise<void>
  readonly stopped: Promise<void>
}
