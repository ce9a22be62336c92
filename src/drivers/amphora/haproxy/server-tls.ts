/**
 * Re-encryption towards members (pool `tls_enabled`): servers speak TLS with
 * the client's SNI, without verifying the member's certificate (no CA
 * reference is supported yet), restricted to the pool's ciphers, versions and
 * ALPN protocols when set.
 */
import type { PoolView } from '../../../model/load-balancer-view.js'
import { directive } from './config-section.js'
import { oneOf } from './config-values.js'
import { RenderError } from './render-error.js'

const TLS_VERSIONS: ReadonlyArray<readonly [string, string]> = [
  ['SSLv3', 'no-sslv3'], ['TLSv1', 'no-tlsv10'], ['TLSv1.1', 'no-tlsv11'], ['TLSv1.2', 'no-tlsv12'], ['TLSv1.3', 'no-tlsv13'],
]
const ALPN_PROTOCOLS = ['h2', 'http/1.1', 'http/1.0'] as const
/** OpenSSL cipher list syntax (names, `:` separators, `!+-@=` operators). */
const CIPHERS = /^[A-Za-z0-9!+@=._:-]{1,2048}$/

/** Server-line TLS settings of a pool. */
export interface ServerTls {
  /** The `ssl …` options of every server line, or null without TLS. */
  readonly options: string | null
  /** ALPN list for checks (`check-alpn`), or null. */
  readonly checkAlpn: string | null
}

/** The TLS options of the pool's servers; throws RenderError for invalid ciphers, versions or ALPN. */
export function serverTlsOptions(pool: PoolView): ServerTls {
  if (!pool.tlsEnabled) return { options: null, checkAlpn: null }
  const what = `pool ${pool.id}`
  if (pool.tlsCiphers !== null && !CIPHERS.test(pool.tlsCiphers)) {
    throw new RenderError(`${what}: tls_ciphers is not an OpenSSL cipher list`)
  }
  const versions = pool.tlsVersions
  if (versions !== null) for (const v of versions) oneOf(`${what} tls_versions`, v, TLS_VERSIONS.map(([name]) => name))
  const alpn = pool.alpnProtocols === null || pool.alpnProtocols.length === 0
    ? null
    : pool.alpnProtocols.map((p) => oneOf(`${what} alpn_protocols`, p, ALPN_PROTOCOLS)).join(',')
  if (versions !== null && versions.length === 0) throw new RenderError(`${what}: tls_versions must not be empty`)
  const options = directive(
    'ssl verify none sni ssl_fc_sni',
    pool.tlsCiphers !== null && `ciphers ${pool.tlsCiphers}`,
    ...(versions === null ? [] : TLS_VERSIONS.filter(([name]) => !versions.includes(name)).map(([, flag]) => flag)),
    alpn !== null && `alpn ${alpn}`,
  )
  return { options, checkAlpn: alpn }
}
