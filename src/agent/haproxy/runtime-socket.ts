/**
 * One command on an HAProxy CLI socket (stats socket or master socket):
 * connect, write the command line and half-close, read until HAProxy closes
 * the connection (non-interactive mode), return the text.
 */
import { createConnection } from 'node:net'

/** Thrown when the socket cannot be reached or does not answer in time. */
export class SocketUnavailableError extends Error {
  constructor(message: string, opts?: ErrorOptions) {
    super(message, opts)
    this.name = 'SocketUnavailableError'
  }
}

/**
 * Sends `command` (one line, no line feed inside) and resolves with the
 * whole answer. Rejects with SocketUnavailableError on a connection error or
 * after `timeoutMs`.
 */
export function socketCommand(path: string, command: string, timeoutMs = 5000): Promise<string> {
  if (/[\r\n]/.test(command)) return Promise.reject(new Error('a runtime command is one line'))
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    const sock = createConnection({ path })
    const fail = (err: Error): void => {
      sock.destroy()
      reject(new SocketUnavailableError(`${path}: ${err.message}`, { cause: err }))
    }
    sock.setTimeout(timeoutMs, () => fail(new Error(`no answer to '${command.split(' ')[0]}' within ${timeoutMs} ms`)))
    // NOTE: the master CLI answers only once the client has shut down its side.
    sock.on('connect', () => sock.end(`${command}\n`))
    sock.on('data', (c: Buffer) => chunks.push(c))
    sock.on('error', fail)
    sock.on('end', () => {
      sock.destroy()
      resolve(Buffer.concat(chunks).toString('utf8'))
    })
  })
}
