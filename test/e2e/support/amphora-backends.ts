import { createServer as createHttpServer, request as httpRequest, Agent, type Server as HttpServer } from 'node:http'
import { createServer as createTcpServer, connect, type Server as TcpServer } from 'node:net'

/** A member: a tiny HTTP server answering its name. */
export interface Backend {
  readonly name: string
  readonly host: string
  readonly port: number
  /** Requests it answered. */
  readonly hits: () => number
  close(): Promise<void>
}

const listen = (srv: HttpServer | TcpServer, host: string): Promise<number> => new Promise((resolve, reject) => {
  srv.once('error', reject)
  srv.listen(0, host, () => {
    const a = srv.address()
    resolve(typeof a === 'object' && a ? a.port : 0)
  })
})

const closeServer = (srv: HttpServer | TcpServer): Promise<void> => new Promise(resolve => {
  if ('closeAllConnections' in srv) srv.closeAllConnections()
  srv.close(() => resolve())
})

/** Starts an HTTP backend on `host` (a free port) that answers `<name>` to every request, after draining the body. */
export async function startHttpBackend(name: string, host: string): Promise<Backend> {
  let hits = 0
  const srv = createHttpServer((req, res) => {
    req.resume()
    req.on('end', () => {
      hits += 1
      res.writeHead(200, { 'content-type': 'text/plain', 'x-backend': name })
      res.end(name)
    })
  })
  srv.keepAliveTimeout = 60000
  const port = await listen(srv, host)
  return { name, host, port, hits: () => hits, close: () => closeServer(srv) }
}

/** A TCP echo server (what it reads, it writes back). */
export async function startEchoServer(host: string): Promise<{ port: number; close(): Promise<void> }> {
  const srv = createTcpServer(sock => { sock.pipe(sock); sock.on('error', () => undefined) })
  const port = await listen(srv, host)
  return { port, close: () => closeServer(srv) }
}

/** A TCP member that writes `<name>` to every connection and closes it (a client sees which member it reached). */
export async function startNameServer(name: string, host: string): Promise<{ name: string; host: string; port: number; close(): Promise<void> }> {
  const srv = createTcpServer(sock => { sock.on('error', () => undefined); sock.end(name) })
  const port = await listen(srv, host)
  return { name, host, port, close: () => closeServer(srv) }
}

/** One HTTP GET; resolves with status, body and the answering backend. Rejects on a network error or after `timeoutMs`. */
export function httpGet(host: string, port: number, path = '/', agent?: Agent | false, timeoutMs = 5000): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host, port, path, agent: agent ?? false, timeout: timeoutMs }, res => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', c => { body += c })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
      res.on('error', reject)
    })
    req.on('timeout', () => req.destroy(new Error(`GET http://${host}:${port}${path} timed out`)))
    req.on('error', reject)
    req.end()
  })
}

/** Sends `data` through a TCP connection, half-closes, and resolves with everything read back. */
export function tcpRoundTrip(host: string, port: number, data: Buffer, timeoutMs = 10000): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    const sock = connect({ host, port, allowHalfOpen: true })
    const timer = setTimeout(() => sock.destroy(new Error('tcp round trip timed out')), timeoutMs)
    sock.on('connect', () => sock.end(data))
    sock.on('data', c => chunks.push(c))
    sock.on('end', () => { clearTimeout(timer); sock.destroy(); resolve(Buffer.concat(chunks)) })
    sock.on('error', err => { clearTimeout(timer); reject(err) })
  })
}

/** Polls `GET http://host:port/` until it answers 200 (a just-started frontend), at most `ms`. */
export async function waitServing(host: string, port: number, ms = 10000): Promise<void> {
  const deadline = Date.now() + ms
  for (;;) {
    try {
      if ((await httpGet(host, port, '/', false, 1000)).status === 200) return
    } catch { /* not yet */ }
    if (Date.now() > deadline) throw new Error(`http://${host}:${port}/ does not serve`)
    await new Promise(r => setTimeout(r, 50))
  }
}
