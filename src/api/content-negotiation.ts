/**
 * Whether an `Accept` header lets us answer JSON, as Octavia's content type
 * hook decides with webob: no header, an empty one or an unparsable one count
 * as "anything"; otherwise some media range with q > 0 must match
 * `application/json` (`application/json`, `application/*` or `*` + `/*`).
 */
export function acceptsJson(header: string | undefined): boolean {
  if (header === undefined || header.trim() === '') return true
  const ranges: { type: string; q: number }[] = []
  for (const part of header.split(',')) {
    const [media, ...params] = part.split(';').map(s => s.trim())
    if (media === '') continue
    // NOTE: webob treats a malformed header as absent (Octavia answers 200 to `Accept: bogus`).
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+\/[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(media)) return true
    let q = 1
    for (const p of params) {
      const m = /^q\s*=\s*([0-9.]+)$/i.exec(p)
      if (m) q = Number(m[1])
    }
    ranges.push({ type: media.toLowerCase(), q })
  }
  if (ranges.length === 0) return true
  return ranges.some(r => r.q > 0 && ['application/json', 'application/*', '*/*'].includes(r.type))
}

/** The body Octavia (pecan) gives a 406. */
export const notAcceptableBody = (): { code: number; title: string; description: string } => ({
  code: 406,
  title: 'Not Acceptable',
  description: 'Only content type application/json is accepted.',
})
