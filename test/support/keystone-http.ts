/** An answer of octavia-ts, JSON-decoded when it is JSON. */
export interface TokenReply {
  readonly status: number
  readonly body: any
  readonly headers: Headers
}

/** A request to octavia-ts at `url` with an optional `X-Auth-Token` (loopback only). */
export type TokenCall = (method: string, path: string, token?: string | null, body?: unknown, headers?: Record<string, string>) => Promise<TokenReply>

/** Makes a caller of `url` that sends `X-Auth-Token: <token>` when one is given. */
export function tokenClient(url: string, timeoutMs = 30_000): TokenCall {
  return async (method, path, token, body, headers = {}) => {
    const h: Record<string, string> = { accept: 'application/json', ...headers }
    if (token) h['x-auth-token'] = token
    if (body !== undefined) h['content-type'] = 'application/json'
    const res = await fetch(url + path, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(timeoutMs) })
    const text = await res.text()
    let parsed: unknown = text
    try { parsed = text ? JSON.parse(text) : null } catch { /* not JSON */ }
    return { status: res.status, body: parsed, headers: res.headers }
  }
}

/**
 * Polls `GET path` with `token` until `done(reply)`; returns that reply. Throws
 * after `ms` with the last answer, or at once when the object turns ERROR.
 */
export async function waitWithToken(call: TokenCall, path: string, token: string, done: (r: TokenReply) => boolean, ms = 20_000): Promise<TokenReply> {
  const deadline = Date.now() + ms
  for (;;) {
    const r = await call('GET', path, token)
    if (done(r)) return r
    const status = r.body && typeof r.body === 'object' ? (Object.values(r.body)[0] as any)?.provisioning_status : undefined
    if (status === 'ERROR') throw new Error(`GET ${path} turned ERROR: ${JSON.stringify(r.body)}`)
    if (Date.now() > deadline) throw new Error(`timed out waiting on GET ${path}; last ${r.status} ${JSON.stringify(r.body)}`)
    await new Promise(res => setTimeout(res, 50))
  }
}

/** Waits until `GET path` shows `provisioning_status` ACTIVE (as seen with `token`); returns the object. */
export const waitActive = async (call: TokenCall, path: string, token: string): Promise<any> =>
  Object.values((await waitWithToken(call, path, token, r => r.status === 200 && (Object.values(r.body)[0] as any)?.provisioning_status === 'ACTIVE')).body)[0]
