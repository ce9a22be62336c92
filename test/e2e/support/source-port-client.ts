import { connect } from 'node:net'

/** Where a client connection comes from. */
export interface Source {
  readonly address: string
  readonly port: number
}

/**
 * One TCP connection from `from` (null: an address and port the kernel
 * picks) to `host:port`: sends `request` (if any),
 * resolves with what `answerOf` finds in the bytes read so far (null: read
 * on), then resets the connection (SO_LINGER 0). Neither side keeps the
 * connection in TIME_WAIT, so the same source address and port can connect
 * again at once: a client that closed first would hold TIME_WAIT for a
 * minute (a new connect from that port fails with EADDRNOTAVAIL), and a
 * proxy that closed first in the client's namespace (loopback amphorae) the
 * same. Rejects on a network error, on end of stream before an answer, or
 * after `timeoutMs`.
 */
export function answerFrom(
  host: string, port: number, from: Source | null, answerOf: (read: string) => string | null, request = '', timeoutMs = 5000,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = connect({ host, port, allowHalfOpen: true, ...(from && { localAddress: from.address, localPort: from.port }) })
    const origin = from ? `${from.address}:${from.port}` : 'a client'
    let read = ''
    const timer = setTimeout(() => sock.destroy(new Error(`${origin} → ${host}:${port}: no answer`)), timeoutMs)
    sock.setEncoding('utf8')
    sock.on('connect', () => { if (request) sock.write(request) })
    sock.on('data', (chunk: string) => {
      read += chunk
      const answer = answerOf(read)
      if (answer === null) return
      clearTimeout(timer)
      sock.resetAndDestroy()
      resolve(answer)
    })
    sock.on('end', () => { clearTimeout(timer); sock.resetAndDestroy(); reject(new Error(`${origin}: closed before an answer: ${JSON.stringify(read)}`)) })
    sock.on('error', (err) => { clearTimeout(timer); reject(err) })
  })
}

/** A member of `startNameServer` answers its name and closes: the first bytes are the answer. */
export const nameAnswer = (read: string): string | null => (read.length > 0 ? read.trim() : null)

/** An HTTP/1.1 request that asks for the connection to close after the answer. */
export const HTTP_GET = 'GET / HTTP/1.1\r\nHost: vip\r\nConnection: close\r\n\r\n'

/** The `x-backend` header of an HTTP answer, once its header block is complete. */
export function backendHeaderAnswer(read: string): string | null {
  const end = read.indexOf('\r\n\r\n')
  if (end < 0) return null
  const header = /\r\nx-backend:\s*([^\r\n]*)/i.exec(read.slice(0, end))
  return header ? header[1].trim() : `no x-backend header: ${read.slice(0, end).split('\r\n')[0]}`
}
