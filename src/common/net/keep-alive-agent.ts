import { readFileSync } from 'node:fs'
import { Agent } from 'undici'

/** How an OpenStack client (Keystone, Barbican) reaches its service. */
export interface OutboundTls {
  /** Connect timeout, milliseconds. */
  readonly timeoutMs: number
  /** CA bundle file for https endpoints; empty: the system's. */
  readonly cafile?: string
  /** Skip TLS verification (oslo's `insecure`). */
  readonly insecure?: boolean
}

/**
 * An undici Agent with kept-alive connections (4 s idle, below the 5 s of
 * common WSGI servers), the configured CA and verification: the dispatcher of
 * every client octavia-ts has towards other OpenStack services.
 */
export function keepAliveAgent(o: OutboundTls): Agent {
  return new Agent({
    connect: {
      timeout: o.timeoutMs,
      ...(o.cafile ? { ca: readFileSync(o.cafile, 'utf8') } : {}),
      ...(o.insecure ? { rejectUnauthorized: false } : {}),
    },
    keepAliveTimeout: 4000,
  })
}
