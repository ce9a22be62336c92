/**
 * The TLS protocol settings shared by listeners (`bind`) and pools
 * (`server`): cipher list, allowed versions as HAProxy's `no-…` flags, ALPN.
 * Values come from the API (tls_ciphers, tls_versions, alpn_protocols) and
 * are validated here again: nothing outside these forms reaches the file.
 */
import { oneOf } from './config-values.js'
import { RenderError } from './render-error.js'

/** Octavia's TLS version names and the flag that disables each. */
const TLS_VERSIONS: ReadonlyArray<readonly [string, string]> = [
  ['SSLv3', 'no-sslv3'], ['TLSv1', 'no-tlsv10'], ['TLSv1.1', 'no-tlsv11'], ['TLSv1.2', 'no-tlsv12'], ['TLSv1.3', 'no-tlsv13'],
]
const ALPN_PROTOCOLS = ['h2', 'http/1.1', 'http/1.0'] as const
/** OpenSSL cipher list syntax (names, `:` separators, `!+-@=` operators), as Octavia's VALID_CIPHER_RE. */
const CIPHERS = /^[A-Za-z0-9!+@=._:-]{1,2048}$/

/** What a TLS side was configured with (view fields). */
export interface TlsProtocolSettings {
  readonly ciphers: string | null
  readonly versions: readonly string[] | null
  readonly alpnProtocols: readonly string[] | null
}

/** The validated words: `ciphers <list>`, the `no-…` flags, the ALPN list (comma-joined) or null. */
export interface TlsProtocolWords {
  readonly ciphers: string | null
  readonly versionFlags: readonly string[]
  readonly alpn: string | null
}

/** Validates and converts; `what` names the object in RenderError messages. */
export function tlsProtocolWords(s: TlsProtocolSettings, what: string): TlsProtocolWords {
  if (s.ciphers !== null && !CIPHERS.test(s.ciphers)) throw new RenderError(`${what}: tls_ciphers is not an OpenSSL cipher list`)
  const versions = s.versions
  if (versions !== null) {
    for (const v of versions) oneOf(`${what} tls_versions`, v, TLS_VERSIONS.map(([name]) => name))
    if (versions.length === 0) throw new RenderError(`${what}: tls_versions must not be empty`)
  }
  const alpn = s.alpnProtocols === null || s.alpnProtocols.length === 0
    ? null
    : s.alpnProtocols.map((p) => oneOf(`${what} alpn_protocols`, p, ALPN_PROTOCOLS)).join(',')
  return {
    ciphers: s.ciphers === null ? null : `ciphers ${s.ciphers}`,
    versionFlags: versions === null ? [] : TLS_VERSIONS.filter(([name]) => !versions.includes(name)).map(([, flag]) => flag),
    alpn,
  }
}
