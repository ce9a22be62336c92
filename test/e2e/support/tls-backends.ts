/**
 * Members and clients for the TLS data-plane test: a member (plain HTTP or
 * HTTPS) that answers with its name and the request headers it received and
 * can hold `/hold` requests open; a TLS handshake probe; HTTPS requests with
 * or without a client certificate; curl for HTTP/2.
 */
import { execFile } from 'node:child_process'
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { createServer as createHttpsServer, request as httpsRequest } from 'node:https'
import { connect, type ConnectionOptions, type SecureVersion } from 'node:tls'

/** What a member answers: its name and the headers HAProxy sent. */
export interface EchoBody {
  readonly name: string
  readonly headers: Record<string, string | string[] | undefined>
}

export interface EchoBackend {
  readonly name: string
  readonly host: string
  readonly port: number
  /** `/hold…` requests waiting for release(). */
  holding(): number
  release(): void
  close(): Promise<void>
}

/** A member on `host` (free port): HTTPS with `tls` (PEM certificate and key), else plain HTTP. */
export async function startEchoBackend(name: string, host: string, tls?: { cert: string; key: string }): Promise<EchoBackend> {
  const held = new Set<() => void>()
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    req.resume()
    req.on('end', () => {
      const answer = (): void => {
        res.writeHead(200, { 'content-type': 'application/json' })
        res.end(JSON.stringify({ name, headers: req.headers } satisfies EchoBody))
      }
      if (!(req.url ?? '').startsWith('/hold')) return answer()
      const done = (): void => { held.delete(done); answer() }
      held.add(done)
      res.on('close', () => held.delete(done))
    })
  }
  const server = tls ? createHttpsServer({ cert: tls.cert, key: tls.key }, handler) : createHttpServer(handler)
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, host, resolve))
  return {
    name, host,
    port: (server.address() as { port: number }).port,
    holding: () => held.size,
    release: () => { for (const done of [...held]) done() },
    close: () => new Promise<void>((resolve) => {
      for (const done of [...held]) done()
      server.closeAllConnections()
      server.close(() => resolve())
    }),
  }
}

/** What a completed handshake showed. */
export interface Handshake {
  readonly cn: string
  readonly protocol: string | null
  readonly alpn: string | false | null
}

export interface ProbeOptions {
  readonly servername?: string
  readonly minVersion?: SecureVersion
  readonly maxVersion?: SecureVersion
  readonly alpn?: readonly string[]
  /** Client certificate and key (PEM). */
  readonly cert?: string
  readonly key?: string
}

/** A TLS handshake with `host:port` (certificate not verified: the test reads it); rejects when it fails. */
export function tlsHandshake(host: string, port: number, o: ProbeOptions = {}): Promise<Handshake> {
  const options: ConnectionOptions = {
    host, port, rejectUnauthorized: false, servername: o.servername, minVersion: o.minVersion, maxVersion: o.maxVersion,
    ALPNProtocols: o.alpn ? [...o.alpn] : undefined, cert: o.cert, key: o.key,
  }
  return new Promise((resolve, reject) => {
    const socket = connect(options, () => {
      const result = { cn: String(socket.getPeerCertificate().subject?.CN), protocol: socket.getProtocol(), alpn: socket.alpnProtocol }
      socket.end()
      resolve(result)
    })
    socket.setTimeout(5000, () => socket.destroy(new Error('handshake timed out')))
    socket.once('error', reject)
  })
}

export interface HttpsReply {
  readonly status: number
  readonly headers: Record<string, string | string[] | undefined>
  readonly body: string
}

/**
 * GET `https://<servername>:<port><path>` sent to `host`, verified against
 * `ca`, on a fresh connection, with an optional client certificate.
 * Rejects when the handshake or the request fails.
 */
export function httpsGet(host: string, port: number, o: { servername: string; ca: string; path?: string; cert?: string; key?: string }): Promise<HttpsReply> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest({
      host, port, path: o.path ?? '/', servername: o.servername, headers: { host: `${o.servername}:${port}` },
      ca: o.ca, cert: o.cert, key: o.key, agent: false, timeout: 5000,
    }, (res) => {
      let body = ''
      res.setEncoding('utf8').on('data', (c: string) => { body += c })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
    })
    req.on('timeout', () => req.destroy(new Error('request timed out')))
    req.on('error', reject)
    req.end()
  })
}

/** curl over HTTPS (`--resolve name:port:host`, `--cacert`): the HTTP version used and the response headers. */
export function curlHttps(host: string, port: number, servername: string, caFile: string, extra: readonly string[] = []): Promise<{ version: string; headers: string }> {
  const args = ['-sS', '--max-time', '10', '--cacert', caFile, '--resolve', `${servername}:${port}:${host}`,
    '-D', '-', '-o', '/dev/null', '-w', '\nversion=%{http_version}', ...extra, `https://${servername}:${port}/`]
  return new Promise((resolve, reject) => {
    execFile('curl', args, { encoding: 'utf8', timeout: 15_000 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`curl failed: ${stderr.trim()}`))
      const m = /\nversion=(\S+)$/.exec(stdout)
      resolve({ version: m?.[1] ?? '', headers: stdout.slice(0, m?.index ?? stdout.length) })
    })
  })
}
