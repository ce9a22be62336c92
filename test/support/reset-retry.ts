// Requests to a test's own servers (a throw-away Keystone under uWSGI) that
// survive a connection the server dropped: on a loaded machine uWSGI now and
// then closes a socket before answering ("other side closed", ECONNRESET),
// which must not cancel a suite.

/** Connection-level failures: the request got no answer at all. */
const RESET_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'UND_ERR_CONNECT_TIMEOUT'])

/** The code of a fetch failure (undici puts it on `cause`), '' when there is none. */
export function connectionErrorCode(err: unknown): string {
  const e = err as { code?: unknown; cause?: { code?: unknown } } | undefined
  return String(e?.cause?.code ?? e?.code ?? '')
}

/** True for a failure that means the server dropped or refused the connection. */
export const isConnectionReset = (err: unknown): boolean => RESET_CODES.has(connectionErrorCode(err))

export interface ResetRetryOptions {
  /** Tries in all (default 6: about 3 s of back-off, 0.1 s doubling). */
  readonly attempts?: number
  /** Timeout of each try in ms (default 30 s). */
  readonly timeoutMs?: number
}

/**
 * `fetch` that retries, a bounded number of times with doubling back-off,
 * when the connection is reset or refused before an answer; any HTTP answer
 * (also a 5xx) and any other error is returned or thrown at once. The body
 * must be replayable (a string or undefined).
 * NOTE: a retried POST may have been carried out the first time; callers that
 * create things treat a 409 on a retry as "already there".
 */
export async function fetchRetryingResets(url: string, init: Omit<RequestInit, 'signal'> & { body?: string }, opts: ResetRetryOptions = {}): Promise<Response> {
  const attempts = opts.attempts ?? 6
  for (let attempt = 1; ; attempt++) {
    try {
      return await fetch(url, { ...init, signal: AbortSignal.timeout(opts.timeoutMs ?? 30_000) })
    } catch (err) {
      if (attempt >= attempts || !isConnectionReset(err)) throw err
      await new Promise(r => setTimeout(r, 100 * 2 ** (attempt - 1)))
    }
  }
}
