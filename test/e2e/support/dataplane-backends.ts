import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AmphoraStack, StackMode } from './amphora-stack.js'

/**
 * Backends and a client for the data-plane acceptance tests (issue 4):
 * members that can hold a request open, hand out an application cookie, and
 * be stopped and started again on the same port.
 */

/** A member started by a test. Every answer's body is its name. */
export interface DataplaneBackend {
  readonly name: string
  readonly host: string
  readonly port: number
  /** Requests answered so far. */
  hits(): number
  /** Requests on `/hold…` that are being held open right now. */
  holding(): number
  /** Answers every held request. */
  release(): void
  /** Stops listening and drops every connection (a dead member). */
  stop(): Promise<void>
  /** Listens again on the same host and port. */
  start(): Promise<void>
  close(): Promise<void>
}

/** The application cookie the backends set when a request has none (for APP_COOKIE). */
export const APP_COOKIE_NAME = 'APPSESSION'

/**
 * Starts a member on `host` (free port) answering `name`. A path starting
 * with `/hold` is answered only on `release()` (or `stop()`). A request
 * without the `APPSESSION` cookie gets `Set-Cookie: APPSESSION=<name>-<n>`.
 */
export async function startDataplaneBackend(name: string, host: string): Promise<DataplaneBackend> {
  let hits = 0
  let sessions = 0
  const held = new Set<() => void>()
  const handler = (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse): void => {
    req.resume()
    req.on('end', () => {
      const answer = (): void => {
        hits += 1
        const headers: Record<string, string> = { 'content-type': 'text/plain', 'x-backend': name }
        if (!(req.headers.cookie ?? '').includes(`${APP_COOKIE_NAME}=`)) {
          sessions += 1
          headers['set-cookie'] = `${APP_COOKIE_NAME}=${name}-${sessions}; Path=/`
        }
        res.writeHead(200, headers)
        res.end(name)
      }
      if ((req.url ?? '').startsWith('/hold')) {
        const done = (): void => { held.delete(done); answer() }
        held.add(done)
        res.on('close', () => held.delete(done))
      } else {
        answer()
      }
    })
  }
  let srv: Server | null = null
  let port = 0
  const start = (): Promise<void> => new Promise((resolve, reject) => {
    const s = createServer(handler)
    s.keepAliveTimeout = 60000
    s.once('error', reject)
    s.listen(port, host, () => {
      const a = s.address()
      port = typeof a === 'object' && a ? a.port : 0
      srv = s
      resolve()
    })
  })
  const stop = (): Promise<void> => new Promise(resolve => {
    const s = srv
    srv = null
    if (!s) return resolve()
    for (const done of [...held]) done()
    s.closeAllConnections()
    s.close(() => resolve())
  })
  await start()
  return {
    name, host,
    get port() { return port },
    hits: () => hits,
    holding: () => held.size,
    release: () => { for (const done of [...held]) done() },
    stop, start, close: stop,
  }
}

/** One HTTP answer as a client sees it. */
export interface ClientReply {
  readonly status: number
  readonly headers: IncomingHttpHeaders
  readonly body: string
}

/**
 * One HTTP GET on a fresh connection with extra `headers`; never follows
 * redirects. Rejects on a network error or after `timeoutMs`.
 */
export function clientGet(host: string, port: number, path = '/', headers: Record<string, string> = {}, timeoutMs = 5000): Promise<ClientReply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host, port, path, headers, agent: false, timeout: timeoutMs }, res => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', c => { body += c })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
      res.on('error', reject)
    })
    req.on('timeout', () => req.destroy(new Error(`GET http://${host}:${port}${path} timed out`)))
    req.on('error', reject)
    req.end()
  })
}

/** The `name=value` part of each Set-Cookie header of a reply. */
export function cookiesOf(reply: ClientReply): Map<string, string> {
  const out = new Map<string, string>()
  for (const line of reply.headers['set-cookie'] ?? []) {
    const [pair] = line.split(';')
    const eq = pair.indexOf('=')
    if (eq > 0) out.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim())
  }
  return out
}

/** Polls until `GET path` on the VIP answers `status` (a just-started or reloaded frontend), at most `ms`. */
export async function waitAnswer(host: string, port: number, path = '/', status = 200, ms = 15000): Promise<void> {
  const deadline = Date.now() + ms
  let last = ''
  for (;;) {
    try {
      const r = await clientGet(host, port, path, {}, 1000)
      if (r.status === status) return
      last = `${r.status} ${r.body.slice(0, 80)}`
    } catch (err) { last = String(err) }
    if (Date.now() > deadline) throw new Error(`http://${host}:${port}${path} never answered ${status}; last ${last}`)
    await new Promise(r => setTimeout(r, 100))
  }
}

/** The modes to run: OCTAVIA_E2E_MODES (comma list) or netns+loopback as root, loopback otherwise. */
export function dataplaneModes(): StackMode[] {
  const env = process.env.OCTAVIA_E2E_MODES
  if (env) return env.split(',') as StackMode[]
  return process.geteuid?.() === 0 ? ['netns', 'loopback'] : ['loopback']
}

/**
 * POSTs `body` to `url` (expects 201), then waits until load balancer `lbId`
 * is ACTIVE again; returns the created object.
 */
export async function createAndSettle(stack: AmphoraStack, lbId: string, url: string, body: unknown): Promise<any> {
  const r = await stack.request('POST', url, body)
  if (r.status !== 201) throw new Error(`POST ${url} answered ${r.status}: ${JSON.stringify(r.body)}`)
  await stack.waitStatus(`/v2/lbaas/loadbalancers/${lbId}`, 'ACTIVE', 30000)
  return Object.values(r.body as object)[0]
}
