/**
 * `show stat` of the stats socket turned into the heartbeat-shaped
 * AmphoraStats: frontends are listeners (by id), backends are pools
 * (`<pool_id>:<listener_id>`), servers are members (by id).
 */
import type { AmphoraStats } from '../../amphora-api/agent-api.js'

type Row = Readonly<Record<string, string>>
type Mutable<T> = { -readonly [K in keyof T]: T[K] }
type ListenerStats = AmphoraStats['listeners'][string]
type PoolStats = AmphoraStats['pools'][string]

/** Splits one CSV line, honouring double quotes (HAProxy quotes fields holding commas). */
export function splitCsvLine(line: string): string[] {
  const out: string[] = []
  let field = ''
  let quoted = false
  for (let i = 0; i < line.length; i++) {
    const c = line[i]
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') { field += '"'; i++ } else if (c === '"') quoted = false
      else field += c
    } else if (c === '"') quoted = true
    else if (c === ',') { out.push(field); field = '' } else field += c
  }
  out.push(field)
  return out
}

/** The rows of `show stat` as records keyed by the header's column names. */
export function parseShowStat(text: string): Row[] {
  const lines = text.split('\n').filter((l) => l.trim() !== '')
  const header = lines.find((l) => l.startsWith('# '))
  if (header === undefined) throw new Error(`unexpected 'show stat' answer: ${text.slice(0, 200)}`)
  const names = splitCsvLine(header.slice(2))
  return lines.filter((l) => !l.startsWith('#')).map((l) => {
    const values = splitCsvLine(l)
    return Object.freeze(Object.fromEntries(names.map((n, i) => [n, values[i] ?? ''])))
  })
}

/**
 * Member status as the health manager expects it: UP, DOWN, DRAIN, MAINT or
 * `no check` (kept as is, as Octavia's agent does). Transitional states count as the state they leave
 * (`UP 1/3` is still UP, `DOWN 1/2` still DOWN); UP with weight 0 is DRAIN
 * (as Octavia's agent does); NOLB (disable-on-404) is DRAIN too.
 */
export function memberStatus(status: string, weight: string): string {
  if (status === 'no check') return status
  if (status.startsWith('MAINT')) return 'MAINT'
  if (status.startsWith('DRAIN') || status === 'NOLB') return 'DRAIN'
  if (status.startsWith('DOWN')) return 'DOWN'
  if (status.startsWith('UP')) return weight === '0' ? 'DRAIN' : 'UP'
  return status
}

/** Adds the rows of one HAProxy to `into` (several load balancers share one amphora). */
export function addStatRows(
  rows: readonly Row[],
  into: { listeners: Record<string, ListenerStats>; pools: Record<string, PoolStats> },
): void {
  const num = (v: string | undefined): number => (v === undefined || v === '' ? 0 : Number(v))
  for (const r of rows) {
    const px = r.pxname ?? ''
    if (px === '' || px.includes('prometheus') || px === 'GLOBAL') continue
    if (r.svname === 'FRONTEND') {
      into.listeners[px] = {
        status: r.status === 'OPEN' || r.status === 'FULL' ? r.status : 'DOWN',
        stats: { tx: num(r.bout), rx: num(r.bin), conns: num(r.scur), totconns: num(r.stot), ereq: num(r.ereq) },
      }
    } else if (r.svname === 'BACKEND') {
      const pool = (into.pools[px] ??= { status: 'DOWN', members: {} }) as Mutable<PoolStats>
      pool.status = r.status === 'UP' ? 'UP' : 'DOWN'
    } else if (px.includes(':')) {
      const pool = (into.pools[px] ??= { status: 'DOWN', members: {} }) as Mutable<PoolStats>
      ;(pool.members as Record<string, string>)[r.svname ?? ''] = memberStatus(r.status ?? '', r.weight ?? '')
    }
  }
}
