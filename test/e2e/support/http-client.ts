/** An answer of the service, JSON-decoded when it is JSON. */
export interface HttpReply {
  readonly status: number
  readonly body: any
}

/** A small JSON client of a running service (loopback only). */
export interface HttpClient {
  readonly url: string
  request(method: string, path: string, body?: unknown): Promise<HttpReply>
  /**
   * Polls `GET path` every `intervalMs` until `done(body)` is true; returns that
   * body. Throws after `ms` with the last answer.
   */
  waitUntil(path: string, done: (reply: HttpReply) => boolean, ms?: number, intervalMs?: number): Promise<HttpReply>
  /**
   * Waits until the object at `path` (e.g. `/v2/lbaas/loadbalancers/<id>`) has
   * `provisioning_status` `want` and returns it; throws at once if it turns ERROR.
   */
  waitStatus(path: string, want?: string, ms?: number): Promise<any>
}

/** The first value of a single-object envelope like `{"loadbalancer": {...}}`. */
export const unwrap = (body: any): any => (body && typeof body === 'object' ? Object.values(body)[0] : undefined)

/** Creates a client of `url` (e.g. `http://127.0.0.1:9876`); every request times out after `timeoutMs`. */
export function httpClient(url: string, timeoutMs = 15000): HttpClient {
  const request = async (method: string, path: string, body?: unknown): Promise<HttpReply> => {
    const res = await fetch(url + path, {
      method,
      headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    })
    const text = await res.text()
    let parsed: unknown = text
    try { parsed = text === '' ? null : JSON.parse(text) } catch { /* not JSON */ }
    return { status: res.status, body: parsed }
  }
  const waitUntil = async (path: string, done: (r: HttpReply) => boolean, ms = 20000, intervalMs = 25): Promise<HttpReply> => {
    const deadline = Date.now() + ms
    let last: HttpReply | undefined
    for (;;) {
      last = await request('GET', path)
      if (done(last)) return last
      if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting on GET ${path}; last answer ${last.status} ${JSON.stringify(last.body)}`)
      await new Promise(r => setTimeout(r, intervalMs))
    }
  }
  const waitStatus = async (path: string, want = 'ACTIVE', ms = 20000): Promise<any> => {
    const done = (r: HttpReply): boolean => {
      const status = r.status === 200 ? unwrap(r.body)?.provisioning_status : undefined
      if (status === 'ERROR' && want !== 'ERROR') throw new Error(`GET ${path} is ERROR while waiting for ${want}: ${JSON.stringify(r.body)}`)
      return status === want
    }
    return unwrap((await waitUntil(path, done, ms)).body)
  }
  return { url, request, waitUntil, waitStatus }
}
