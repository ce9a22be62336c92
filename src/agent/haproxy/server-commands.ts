/**
 * Member changes applied to a running HAProxy through its runtime API (the
 * stats socket, `level admin`), without a reload.
 */
import { isIP } from 'node:net'
import type { ServerStateChange } from '../../amphora-api/agent-api.js'
import { SERVER_PORT, SERVER_WEIGHT } from '../../amphora-api/server-change-schema.js'
import { isWithin } from '../../common/integer-range.js'

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
 * The CLI commands of one change, in order. 'set': address (and port),
 * weight, state; 'add' and 'delete': see ServerStateChange. Throws
 * InvalidServerChange for a bad name, op, weight (SERVER_WEIGHT), state,
 * address, port (SERVER_PORT), keyword, a port without an address, or a
 * change that changes nothing.
 */
export function serverCommands(c: ServerStateChange): string[] {
  if (!NAME.test(c.backend)) throw new InvalidServerChange(`invalid backend name '${c.backend}'`)
  if (!NAME.test(c.server)) throw new InvalidServerChange(`invalid server name '${c.server}'`)
  const target = `${c.backend}/${c.server}`
  if (c.op === 'add') return addCommands(c, target)
  // NOTE: `del server` waits for the server's sessions to end and cuts them only after a grace period (apply-server-changes.ts).
  if (c.op === 'delete') return [`disable server ${target}`, `del server ${target}`]
  if (c.op !== undefined && c.op !== 'set') throw new InvalidServerChange(`${target}: invalid op '${String(c.op)}'`)
  const out: string[] = []
  if (c.port !== undefined && c.address === undefined) throw new InvalidServerChange(`${target}: a port change needs the address`)
  if (c.address !== undefined) {
    if (isIP(c.address) === 0) throw new InvalidServerChange(`${target}: '${c.address}' is not an IP address`)
    if (c.port !== undefined && !isWithin(SERVER_PORT, c.port)) {
      throw new InvalidServerChange(`${target}: invalid port ${c.port}`)
    }
    out.push(`set server ${target} addr ${c.address}${c.port === undefined ? '' : ` port ${c.port}`}`)
  }
  if (c.weight !== undefined) {
    if (!isWithin(SERVER_WEIGHT, c.weight)) throw new InvalidServerChange(`${target}: invalid weight ${c.weight}`)
    out.push(`set server ${target} weight ${c.weight}`)
  }
  if (c.state !== undefined) {
    if (!['ready', 'drain', 'maint'].includes(c.state)) throw new InvalidServerChange(`${target}: invalid state '${String(c.state)}'`)
    out.push(`set server ${target} state ${c.state}`)
  }
  if (out.length === 0) throw new InvalidServerChange(`${target}: nothing to change`)
  return out
}

/** One keyword or value of a server line: printable, no CLI separator (`;`), comment, escape or quote. */
const WORD = /^[!$-&(-:<-[\]-~]{1,256}$/

/**
 * `add server <target> <addr>:<port> <keywords>`, then `enable health` when
 * the keywords include `check`, then `enable server` unless the state is
 * 'maint' (a dynamic server starts in maintenance, its checks disabled).
 */
function addCommands(c: ServerStateChange, target: string): string[] {
  if (c.address === undefined || isIP(c.address) === 0) throw new InvalidServerChange(`${target}: a new server needs an IP address`)
  if (!isWithin(SERVER_PORT, c.port)) throw new InvalidServerChange(`${target}: invalid port ${String(c.port)}`)
  const keywords = c.keywords ?? []
  const bad = keywords.find((w) => !WORD.test(w) || w === 'disabled')
  if (bad !== undefined) throw new InvalidServerChange(`${target}: invalid server keyword '${bad}'`)
  if (c.weight !== undefined) throw new InvalidServerChange(`${target}: the weight of a new server goes in its keywords`)
  if (c.state !== undefined && c.state !== 'ready' && c.state !== 'maint') throw new InvalidServerChange(`${target}: invalid state '${String(c.state)}'`)
  const address = isIP(c.address) === 6 ? `[${c.address}]` : c.address
  return [
    ['add server', target, `${address}:${c.port}`, ...keywords].join(' '),
    ...(keywords.includes('check') ? [`enable health ${target}`] : []),
    ...(c.state === 'maint' ? [] : [`enable server ${target}`]),
  ]
}

/** How HAProxy answered a `set server` command. */
export type CommandVerdict = 'ok' | 'not-found' | 'refused'

/**
 * `set server ... weight|state`, `enable`/`disable server`, `enable health`
 * and `shutdown sessions` answer nothing on success; `add server` answers
 * `New server registered.`, `del server` `Server deleted.`; `addr` answers
 * `IP changed from ...` or `no need to change the addr ...`. Anything else
 * is a refusal (`No such backend.`/`No such server.` are not-found).
 */
export function commandVerdict(answer: string): CommandVerdict {
  const text = answer.trim()
  if (text === '' || /^IP changed from|^no need to change|^New server registered\.$|^Server deleted\.$/i.test(text)) return 'ok'
  if (/^No such (backend|server)/i.test(text)) return 'not-found'
  return 'refused'
}
