import type { ServerStateChange } from '../../../amphora-api/agent-api.js'

/**
 * Decides whether a new HAProxy configuration can be applied to a running
 * HAProxy without a reload: when the two texts differ only in the `server`
 * lines of existing backends — servers added or removed, and the `weight N`
 * and `disabled` words of the others (member weight, drain = weight 0, admin
 * state) — the difference is a list of runtime changes (HAProxy's runtime
 * API, through the agent's `PUT …/servers`). Anything else needs a reload,
 * and so does a server added to or removed from a backend whose balance
 * algorithm is not dynamic (HAProxy 2.6 refuses dynamic servers there), or
 * an added server whose line has a keyword HAProxy 2.6 refuses on
 * `add server` (`cookie`, …).
 *
 * Returns the changes, new servers first and removed ones last (a backend
 * whose members are all replaced never runs empty); empty when the texts are
 * equal; null when a reload is needed. Pure; relies on the renderer's layout:
 * one directive per line, `server <member id> <addr:port> weight <w> …
 * [disabled] …` inside `backend <name>` sections.
 */
export function runtimeChanges(current: string, next: string): ServerStateChange[] | null {
  if (current === next) return []
  const a = parse(current)
  const b = parse(next)
  if (a === null || b === null || a.skeleton !== b.skeleton) return null
  const added: ServerStateChange[] = []
  const changed: ServerStateChange[] = []
  const removed: ServerStateChange[] = []
  for (const [backend, after] of b.backends) {
    const before = a.backends.get(backend)
    if (before === undefined) return null
    for (const [name, line] of after.servers) {
      const old = before.servers.get(name)
      if (old === undefined) {
        if (!after.dynamic) return null
        const add = addition(backend, line)
        if (add === null) return null
        added.push(add)
      } else if (old.text !== line.text) {
        if (old.rest !== line.rest) return null
        changed.push({ backend, server: name, weight: line.weight, state: line.disabled ? 'maint' : 'ready' })
      }
    }
    for (const name of before.servers.keys()) {
      if (after.servers.has(name)) continue
      if (!after.dynamic) return null
      removed.push({ op: 'delete', backend, server: name })
    }
  }
  return [...added, ...changed, ...removed]
}

/** Balance algorithms with which HAProxy 2.6 accepts dynamic servers. */
const DYNAMIC_BALANCE = new Set(['roundrobin', 'leastconn', 'first', 'random'])
/**
 * Hash-based algorithms: map-based hashing (HAProxy's default `hash-type`,
 * e.g. SOURCE_IP's `balance source`) refuses dynamic servers, consistent
 * hashing (SOURCE_IP_PORT's `balance hash …`) accepts them.
 */
const HASH_BALANCE = new Set(['source', 'uri', 'url_param', 'hdr', 'rdp-cookie', 'hash'])

/** Whether HAProxy 2.6 adds and deletes servers at runtime in a backend of this `balance` and `hash-type`. */
function isDynamic(balance: string | null, hashType: string | null): boolean {
  if (balance === null) return false
  return DYNAMIC_BALANCE.has(balance) || (HASH_BALANCE.has(balance) && hashType === 'consistent')
}

/**
 * The server keywords the renderer writes that HAProxy 2.6 accepts on
 * `add server`, with how many values follow each (`cookie` is refused).
 */
const DYNAMIC_KEYWORDS: ReadonlyMap<string, number> = new Map([
  ['weight', 1], ['check', 0], ['check-ssl', 0], ['check-alpn', 1], ['inter', 1], ['fall', 1], ['rise', 1],
  ['addr', 1], ['port', 1], ['send-proxy', 0], ['send-proxy-v2', 0], ['backup', 0], ['ssl', 0], ['verify', 1],
  ['sni', 1], ['ciphers', 1], ['ciphersuites', 1], ['alpn', 1],
  ['no-sslv3', 0], ['no-tlsv10', 0], ['no-tlsv11', 0], ['no-tlsv12', 0], ['no-tlsv13', 0],
])

/** The `add` change of a new server line, or null when HAProxy would refuse it at runtime. */
function addition(backend: string, line: ServerLine): ServerStateChange | null {
  const m = /^(?:\[([0-9A-Fa-f:.]+)\]|([0-9A-Fa-f:.]+)):(\d+)$/.exec(line.words[2])
  if (m === null) return null
  const keywords = line.words.slice(3).filter((w) => w !== 'disabled')
  for (let i = 0; i < keywords.length; i++) {
    const values = DYNAMIC_KEYWORDS.get(keywords[i])
    if (values === undefined) return null
    i += values
  }
  if (keywords.length === 0 || keywords.length > 64) return null
  return {
    op: 'add', backend, server: line.words[1], address: m[1] ?? m[2], port: Number(m[3]),
    keywords, state: line.disabled ? 'maint' : 'ready',
  }
}

interface ParsedBackend {
  readonly dynamic: boolean
  readonly servers: Map<string, ServerLine>
}

interface ParsedConfig {
  /** The text without the server lines of backends. */
  readonly skeleton: string
  readonly backends: Map<string, ParsedBackend>
}

/** A backend while its lines are read: its algorithm (`hdr(name)` → `hdr`) and hash type. */
interface OpenBackend {
  balance: string | null
  hashType: string | null
  readonly servers: Map<string, ServerLine>
}

/** Splits a config into its skeleton and the server lines of each backend; null for an unexpected server line. */
function parse(text: string): ParsedConfig | null {
  const skeleton: string[] = []
  const open = new Map<string, OpenBackend>()
  let backend: OpenBackend | null = null
  for (const raw of text.split('\n')) {
    const header = /^backend (\S+)$/.exec(raw)
    if (header) {
      backend = { balance: null, hashType: null, servers: new Map() }
      open.set(header[1], backend)
    } else if (/^\S/.test(raw)) {
      backend = null
    }
    if (backend !== null && /^\s+server\s/.test(raw)) {
      const line = serverLine(raw)
      if (line === null || backend.servers.has(line.words[1])) return null
      backend.servers.set(line.words[1], line)
      continue
    }
    if (backend !== null) {
      backend.balance = /^\s+balance\s+([^\s(]+)/.exec(raw)?.[1] ?? backend.balance
      backend.hashType = /^\s+hash-type\s+(\S+)/.exec(raw)?.[1] ?? backend.hashType
    }
    skeleton.push(raw)
  }
  const backends = new Map([...open].map(([name, b]) => [name, { dynamic: isDynamic(b.balance, b.hashType), servers: b.servers }]))
  return { skeleton: skeleton.join('\n'), backends }
}

interface ServerLine {
  readonly text: string
  readonly words: readonly string[]
  readonly weight: number
  readonly disabled: boolean
  /** The line without its weight and `disabled` words. */
  readonly rest: string
}

function serverLine(line: string): ServerLine | null {
  const words = line.trim().split(/\s+/)
  if (words[0] !== 'server' || words.length < 3) return null
  const w = words.indexOf('weight')
  if (w < 0 || !/^\d+$/.test(words[w + 1] ?? '')) return null
  const weight = Number(words[w + 1])
  const rest = words.filter((word, i) => i !== w && i !== w + 1 && word !== 'disabled')
  return { text: line, words, weight, disabled: words.includes('disabled'), rest: rest.join(' ') }
}
