/**
 * Member changes applied to a running HAProxy through its runtime API (the
 * stats socket, `level admin`), without a reload.
 */
import { isIP } from 'node:net'
import type { ServerStateChange } from '../../drivers/amphora/agent-api.js'

/** Proxy and server names as the renderer writes them (ids, `<pool>:<listener>`); nothing the CLI would split. */
const NAME = /^[A-Za-z0-9_.:-]{1,128}$/

/** A change that cannot be turned into runtime commands. */
export class InvalidServerChange extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'InvalidServerChange'
  }
}

/**
 * The CLI commands of one change, in order: address (and port), weight,
 * state. Throws InvalidServerChange for a bad name, weight (0–256), state,
 * address, port, a port without an address, or a change that changes nothing.
 */
export function serverCommands(c: ServerStateChange): string[] {
  if (!NAME.test(c.backend)) throw new InvalidServerChange(`invalid backend name '${c.backend}'`)
  if (!NAME.test(c.server)) throw new InvalidServerChange(`invalid server name '${c.server}'`)
  const target = `${c.backend}/${c.server}`
  const out: string[] = []
  if (c.port !== undefined && c.address === undefined) throw new InvalidServerChange(`${target}: a port change needs the address`)
  if (c.address !== undefined) {
    if (isIP(c.address) === 0) throw new InvalidServerChange(`${target}: '${c.address}' is not an IP address`)
    if (c.port !== undefined && !(Number.isInteger(c.port) && c.port >= 1 && c.port <= 65535)) {
      throw new InvalidServerChange(`${target}: invalid port ${c.port}`)
    }
    out.push(`set server ${target} addr ${c.address}${c.port === undefined ? '' : ` port ${c.port}`}`)
  }
  if (c.weight !== undefined) {
    if (!(Number.isInteger(c.weight) && c.weight >= 0 && c.weight <= 256)) throw new InvalidServerChange(`${target}: invalid weight ${c.weight}`)
    out.push(`set server ${target} weight ${c.weight}`)
  }
  if (c.state !== undefined) {
    if (!['ready', 'drain', 'maint'].includes(c.state)) throw new InvalidServerChange(`${target}: invalid state '${String(c.state)}'`)
    out.push(`set server ${target} state ${c.state}`)
  }
  if (out.length === 0) throw new InvalidServerChange(`${target}: nothing to change`)
  return out
}

/** How HAProxy answered a `set server` command. */
export type CommandVerdict = 'ok' | 'not-found' | 'refused'

/**
 * `set server ... weight|state` answer nothing on success; `addr` answers
 * `IP changed from ...` or `no need to change the addr ...`. Anything else
 * is a refusal (`No such backend.`/`No such server.` are not-found).
 */
export function commandVerdict(answer: string): CommandVerdict {
  const text = answer.trim()
  if (text === '' || /^IP changed from|^no need to change/i.test(text)) return 'ok'
  if (/^No such (backend|server)/i.test(text)) return 'not-found'
  return 'refused'
}
