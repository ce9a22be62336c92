/**
 * PEM text in one shape: a single block, base64 wrapped at 64 columns, ending
 * with exactly one newline (so that blocks concatenate into a valid file).
 * Input may use CRLF line ends, indentation or surrounding text.
 */

const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g

/** A PEM block of `label` holding `der`. */
export function toPem(der: Uint8Array, label: string): string {
  const b64 = Buffer.from(der).toString('base64')
  const lines = b64.match(/.{1,64}/g) ?? []
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`
}

/** The DER contents of every PEM block labelled exactly `label`, in order (blocks with invalid base64 are returned as they decode: callers parse them). */
export function pemContents(text: string, label: string): Buffer[] {
  const out: Buffer[] = []
  for (const m of text.matchAll(BLOCK)) {
    if (m[1] !== label) continue
    const body = (m[2] ?? '').replace(/\s+/g, '')
    out.push(Buffer.from(body, 'base64'))
  }
  return out
}

/** Whether `text` holds a PEM armour line for `label`. */
export function hasPemBlock(text: string, label: string): boolean {
  return text.includes(`-----BEGIN ${label}-----`)
}

/** Bytes or text as text (latin1 for bytes that are not UTF-8 is not needed: PEM is ASCII). */
export function asText(data: Buffer | string): string {
  return typeof data === 'string' ? data : data.toString('utf8')
}
