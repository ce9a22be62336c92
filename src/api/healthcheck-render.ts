import { hostname, arch, release, type } from 'node:os'
import type { HealthcheckResult } from './healthcheck-backends.js'

/** The media types a healthcheck GET answers in, in oslo.middleware's order of preference. */
export const HEALTHCHECK_TYPES = ['text/plain', 'text/html', 'application/json'] as const
export type HealthcheckType = typeof HEALTHCHECK_TYPES[number]

/**
 * The media type of a healthcheck answer, as webob's `acceptable_offers`
 * picks it: for each offer the most specific matching range gives its q;
 * the highest q wins, ties in offer order; no `Accept` (or an unparsable
 * one) takes the first offer; nothing acceptable falls back to text/plain.
 */
export function healthcheckType(accept: string | undefined): HealthcheckType {
  if (accept === undefined || accept.trim() === '') return HEALTHCHECK_TYPES[0]
  const ranges: { type: string; sub: string; q: number }[] = []
  for (const part of accept.split(',')) {
    const [media, ...params] = part.split(';').map(s => s.trim())
    if (media === '') continue
    const m = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+)\/([!#$%&'*+.^_`|~0-9A-Za-z-]+)$/.exec(media)
    if (!m) return HEALTHCHECK_TYPES[0]
    let q = 1
    for (const p of params) {
      const qm = /^q\s*=\s*([0-9.]+)$/i.exec(p)
      if (qm) q = Number(qm[1])
    }
    ranges.push({ type: m[1].toLowerCase(), sub: m[2].toLowerCase(), q })
  }
  let best: { type: HealthcheckType; q: number } | null = null
  for (const offer of HEALTHCHECK_TYPES) {
    const [type, sub] = offer.split('/')
    let specificity = -1
    let q = 0
    for (const r of ranges) {
      const s = r.type === type && r.sub === sub ? 2 : r.type === type && r.sub === '*' ? 1 : r.type === '*' && r.sub === '*' ? 0 : -1
      if (s > specificity) { specificity = s; q = r.q }
    }
    if (specificity >= 0 && q > 0 && (best === null || q > best.q)) best = { type: offer, q }
  }
  return best?.type ?? HEALTHCHECK_TYPES[0]
}

/** Python's `str(datetime.utcnow())`: `2020-03-16 22:05:26.431000`. */
const pythonNow = (): string => new Date().toISOString().replace('T', ' ').replace('Z', '000')

const platformName = (): string => `${type()}-${release()}-${arch()}`

const escapeHtml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&#34;').replace(/'/g, '&#39;')

/** JSON with sorted keys and 4-space indentation, as oslo's `_pretty_json_dumps`. */
function prettyJson(value: unknown): string {
  const sortKeys = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sortKeys)
    if (v && typeof v === 'object') {
      return Object.fromEntries(Object.keys(v).sort().map(k => [k, sortKeys((v as Record<string, unknown>)[k])]))
    }
    return v
  }
  return JSON.stringify(sortKeys(value), null, 4)
}

/**
 * The body of a healthcheck GET in `type`. Plain text: the reasons, one per
 * line. JSON: `{"detailed": false, "reasons": [...]}`, or with `detailed`
 * the reasons as `{class, details, reason}` plus the process facts oslo
 * gives that have a Node meaning (`now`, `platform`, `node_version`).
 * HTML: oslo's status page.
 */
export function healthcheckBody(type: HealthcheckType, results: readonly HealthcheckResult[], detailed: boolean): string {
  if (type === 'text/plain') return results.map(r => r.reason).filter(r => r !== '').join('\n')
  if (type === 'application/json') {
    if (!detailed) return prettyJson({ detailed: false, reasons: results.map(r => r.reason) })
    return prettyJson({
      detailed: true,
      now: pythonNow(),
      platform: platformName(),
      node_version: process.version,
      reasons: results.map(r => ({ class: r.kind, details: r.details, reason: r.reason })),
    })
  }
  return htmlBody(results, detailed)
}

function htmlBody(results: readonly HealthcheckResult[], detailed: boolean): string {
  const lines = ['<HTML>', '<HEAD><TITLE>Healthcheck Status</TITLE></HEAD>', '<BODY>']
  if (detailed) {
    lines.push('<H1>Server status</H1>',
      `<B>Server hostname:</B><PRE>${escapeHtml(hostname())}</PRE>`,
      `<B>Current time:</B><PRE>${escapeHtml(pythonNow())}</PRE>`,
      `<B>Node version:</B><PRE>${escapeHtml(process.version)}</PRE>`,
      `<B>Platform:</B><PRE>${escapeHtml(platformName())}</PRE>`,
      '<HR></HR>')
  }
  lines.push(`<H2>Result of ${results.length} checks:</H2>`, '<TABLE bgcolor="#ffffff" border="1">', '<TBODY>', '<TR>')
  for (const h of detailed ? ['Kind', 'Reason', 'Details'] : ['Reason']) lines.push('<TH>', h, '</TH>')
  lines.push('</TR>')
  for (const r of results) {
    if (!r.reason) continue
    lines.push('<TR>')
    if (detailed) lines.push(`<TD>${escapeHtml(r.kind)}</TD>`)
    lines.push(`    <TD>${escapeHtml(r.reason)}</TD>`)
    if (detailed) lines.push(`<TD>${escapeHtml(r.details)}</TD>`)
    lines.push('</TR>')
  }
  lines.push('</TBODY>', '</TABLE>', '<HR></HR>', '</BODY>', '</HTML>')
  return lines.join('\n')
}
