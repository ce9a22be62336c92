/**
 * Which failures of a request mean "the agent is not reachable yet" (it is
 * starting, its address is being plugged): those are retried. TLS
 * verification failures and read timeouts are not: retrying cannot fix them.
 */
const RETRYABLE = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENETDOWN', 'EAI_AGAIN', 'ETIMEDOUT', 'EPIPE',
  'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED',
])

/** Whether `err` (or one of its causes) is a connection failure worth another attempt. */
export function isRetryable(err: unknown): boolean {
  for (let e = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const code = (e as NodeJS.ErrnoException).code
    if (code !== undefined && RETRYABLE.has(code)) return true
  }
  return false
}
