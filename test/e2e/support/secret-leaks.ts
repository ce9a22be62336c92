import assert from 'node:assert/strict'
import { createPrivateKey } from 'node:crypto'

/** A byte string that must not appear somewhere, with a name for messages (never the bytes themselves). */
export interface Needle {
  readonly name: string
  readonly bytes: Buffer
}

/**
 * What would betray a private key if it showed up: its PKCS#8 DER, windows
 * of that DER (a partial copy), the base64 of the DER and each of the PEM's
 * base64 lines; plus any `extra` payload (e.g. the PKCS12 bundle and its
 * base64 as sent to the store).
 */
export function keyNeedles(keyPem: string, extra: Readonly<Record<string, Buffer>> = {}): Needle[] {
  const der = createPrivateKey(keyPem).export({ type: 'pkcs8', format: 'der' })
  const needles: Needle[] = [{ name: 'key DER', bytes: der }, { name: 'key DER base64', bytes: Buffer.from(der.toString('base64').slice(0, 64)) }]
  for (let i = 0; i + 24 <= der.length; i += Math.floor(der.length / 6)) needles.push({ name: `key DER bytes ${i}…${i + 24}`, bytes: der.subarray(i, i + 24) })
  for (const line of keyPem.split('\n').filter(l => /^[A-Za-z0-9+/=]{40,}$/.test(l))) needles.push({ name: 'key PEM line', bytes: Buffer.from(line) })
  for (const [name, bytes] of Object.entries(extra)) {
    needles.push({ name, bytes: bytes.subarray(0, Math.min(bytes.length, 256)) })
    needles.push({ name: `${name} base64`, bytes: Buffer.from(bytes.toString('base64').slice(0, 76)) })
  }
  return needles
}

/** Asserts that none of `needles` occurs in `haystack` (`where` names it in the message). */
export function assertNoLeak(haystack: Buffer | string, needles: readonly Needle[], where: string): void {
  const hay = typeof haystack === 'string' ? Buffer.from(haystack) : haystack
  for (const n of needles) assert.equal(hay.indexOf(n.bytes), -1, `${n.name} appears in ${where}`)
}
