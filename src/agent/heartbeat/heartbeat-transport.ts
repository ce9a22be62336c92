/**
 * The UDP side of the heartbeat sender: one udp4 and one udp6 socket (made
 * when first needed) for the whole agent, every packet to every controller
 * address. A failed send is a rate-limited warning, never an exception: the
 * next round tries again, and a controller that hears nothing fails the
 * amphora over, which is the point of heartbeats.
 */
import { createSocket, type Socket } from 'node:dgram'
import { lookup } from 'node:dns/promises'
import { isIP } from 'node:net'
import type { ControllerAddress } from './controller-address.js'

/** Logs a warning unless one with the same key was logged recently (LogThrottle). */
export type ThrottledWarn = (key: string, fields: Record<string, unknown>, msg: string) => void

interface Resolved {
  readonly address: string
  readonly port: number
  readonly family: 4 | 6
  /** The configured entry, for logs. */
  readonly entry: string
}

export class HeartbeatTransport {
  readonly #destinations: readonly ControllerAddress[]
  readonly #warn: ThrottledWarn
  readonly #sockets = new Map<4 | 6, Socket>()
  #resolved: readonly Resolved[] = []

  constructor(destinations: readonly ControllerAddress[], warn: ThrottledWarn) {
    this.#destinations = destinations
    this.#warn = warn
  }

  /**
   * Resolves the destinations for the next sends (IP literals as they are,
   * host names through the system resolver). A name that does not resolve
   * keeps its previous address, or is left out until it does.
   */
  async refresh(): Promise<void> {
    const previous = new Map(this.#resolved.map((r) => [r.entry, r]))
    const out: Resolved[] = []
    for (const d of this.#destinations) {
      const entry = `${d.host}:${d.port}`
      const family = isIP(d.host)
      if (family === 4 || family === 6) {
        out.push({ address: d.host, port: d.port, family, entry })
        continue
      }
      try {
        const a = await lookup(d.host)
        out.push({ address: a.address, port: d.port, family: a.family === 6 ? 6 : 4, entry })
      } catch (err) {
        this.#warn(`resolve ${entry}`, { err, destination: entry }, 'cannot resolve the controller address of heartbeats')
        const old = previous.get(entry)
        if (old !== undefined) out.push(old)
      }
    }
    this.#resolved = out
  }

  /** Sends `packet` to every destination; resolves once each send completed or failed (failures are warned about). */
  async send(packet: Buffer, amphoraId: string): Promise<void> {
    await Promise.all(this.#resolved.map((d) => new Promise<void>((resolve) => {
      const failed = (err: Error): void => this.#warn(`send ${d.entry}`, { err, destination: d.entry, amphoraId, bytes: packet.length }, 'cannot send heartbeat')
      try {
        this.#socket(d.family).send(packet, d.port, d.address, (err) => {
          if (err) failed(err)
          resolve()
        })
      } catch (err) {
        // send() throws synchronously on some errors (e.g. a socket closed meanwhile).
        failed(err as Error)
        resolve()
      }
    })))
  }

  /** Closes the sockets; later sends open new ones. */
  close(): void {
    for (const s of this.#sockets.values()) s.close()
    this.#sockets.clear()
  }

  #socket(family: 4 | 6): Socket {
    let s = this.#sockets.get(family)
    if (s === undefined) {
      s = createSocket(family === 6 ? 'udp6' : 'udp4')
      // NOTE: asynchronous socket errors (not tied to one send) must not crash the agent.
      s.on('error', (err) => this.#warn(`socket udp${family}`, { err }, 'heartbeat socket error'))
      s.unref()
      this.#sockets.set(family, s)
    }
    return s
  }
}
