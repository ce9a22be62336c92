/**
 * Re-encryption towards members (pool `tls_enabled`), as Octavia's member
 * line: servers speak TLS with the client's SNI (`sni ssl_fc_sni`), show the
 * pool's client certificate when it has one (`crt`), verify the member
 * against the pool's CA (`ca-file … verify required`, with its CRL), else do
 * not verify (`verify none`); restricted to the pool's ciphers, versions and
 * ALPN protocols when set. Without tls_enabled the references are ignored.
 */
import type { PoolView } from '../../../model/load-balancer-view.js'
import { configWord } from './config-escape.js'
import { directive } from './config-section.js'
import { RenderError } from './render-error.js'
import { tlsProtocolWords } from './tls-protocol-options.js'
import { certificateFile, secretFile, type TlsFiles } from './tls-files.js'

/** Server-line TLS settings of a pool. */
export interface ServerTls {
  /** The `ssl …` options of every server line, or null without TLS. */
  readonly options: string | null
  /** ALPN list for checks (`check-alpn`), or null. */
  readonly checkAlpn: string | null
}

/**
 * The TLS options of the pool's servers; throws RenderError for invalid
 * ciphers, versions or ALPN, a CRL without CA, or a reference without file.
 * NOTE: Octavia leaves `verify required` implicit (HAProxy's default once a
 * CA is given) when there is no CRL; it is written in both cases here.
 */
export function serverTlsOptions(pool: PoolView, files: TlsFiles): ServerTls {
  if (!pool.tlsEnabled) return { options: null, checkAlpn: null }
  const what = `pool ${pool.id}`
  const words = tlsProtocolWords({ ciphers: pool.tlsCiphers, versions: pool.tlsVersions, alpnProtocols: pool.alpnProtocols }, what)
  if (pool.crlContainerId !== null && pool.caTlsCertificateId === null) {
    throw new RenderError(`${what}: a crl_container_ref needs a ca_tls_container_ref`)
  }
  const crt = pool.tlsCertificateId === null ? null : certificateFile(files, pool.tlsCertificateId, `${what} tls_container_ref`)
  const ca = pool.caTlsCertificateId === null ? null : secretFile(files, pool.caTlsCertificateId, `${what} ca_tls_container_ref`)
  const crl = pool.crlContainerId === null ? null : secretFile(files, pool.crlContainerId, `${what} crl_container_ref`)
  const options = directive(
    'ssl',
    crt !== null && `crt ${configWord(crt)}`,
    ca !== null && `ca-file ${configWord(ca)}`,
    crl !== null && `crl-file ${configWord(crl)}`,
    ca !== null ? 'verify required' : 'verify none',
    'sni ssl_fc_sni',
    words.ciphers,
    ...words.versionFlags,
    words.alpn !== null && `alpn ${words.alpn}`,
  )
  return { options, checkAlpn: words.alpn }
}
