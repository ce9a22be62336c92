import type { ServerStateChange } from '../../amphora/agent-api.js'

/**
 * Decides whether a new HAProxy configuration can be applied to a running
 * HAProxy without a reload: when the two texts differ only in the `weight N`
 * and `disabled` words of `server` lines (member weight, drain = weight 0,
 * admin state), the difference is a list of runtime changes (HAProxy's
 * runtime API, through the agent's `PUT …/servers`). Anything else needs a
 * reload.
 *
 * Returns the changes (empty when the texts are equal), or null when a reload
 * is needed. Pure; relies on the renderer's layout: one directive per line,
 * `server <member id> <addr:port> weight <w> … [disabled] …` inside
 * `backend <name>` sections.
 */
export function runtimeChanges(current: string, next: string): ServerStateChange[] | null {
  if (current === next) return []
  const a = current.split('\n')
  const b = next.split('\n')
  if (a.length !== b.length) return null
  const changes: ServerStateChange[] = []
  let backend: string | null = null
  for (let i = 0; i < a.length; i++) {
    const header = /^backend (\S+)$/.exec(b[i])
    if (header) backend = header[1]
    else if (/^\S/.test(b[i])) backend = null
    if (a[i] === b[i]) continue
    const before = serverLine(a[i])
    const after = serverLine(b[i])
    if (backend === null || before === null || after === null) return null
    if (before.name !== after.name || before.rest !== after.rest) return null
    changes.push({ backend, server: after.name, weight: after.weight, state: after.disabled ? 'maint' : 'ready' })
  }
  return changes
}

interface ServerLine {
  readonly name: string
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
  return { name: words[1], weight, disabled: words.includes('disabled'), rest: rest.join(' ') }
}
