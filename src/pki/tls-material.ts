/**
 * TLS material of the two ends of the controller ↔ agent link: a PEM file
 * with certificate and key (Octavia's `agent_server_cert` / `client_cert`
 * layout) plus the CA to trust. Configured files are used as they are; when
 * none is configured, the local CA issues one into `<state_dir>/pki/` and
 * renews it on a later start when it nears expiry or misses a name.
 */
import { readFile } from 'node:fs/promises'
import { describeCertificate, expiresWithin, type CertificateInfo } from './certificate-info.js'
import { LocalCa, type IssuedCertificate } from './local-ca.js'
import { pemBlocks, readIfExists, writeAtomic } from './pem-files.js'

/** What a TLS context needs (PEM texts). */
export interface TlsMaterial {
  readonly cert: string
  readonly key: string
  /** CA certificates that the peer must be issued by. */
  readonly ca: string
  readonly info: CertificateInfo
}

/** A certificate is renewed at start-up when less than this remains. */
export const RENEW_MARGIN_MS = 30 * 86_400_000

/** Reads a PEM file holding a certificate (first) and its private key. Throws naming the file. */
export async function readCertKeyFile(path: string): Promise<{ cert: string; key: string }> {
  const text = await readFile(path, 'utf8')
  const [cert] = pemBlocks(text, /CERTIFICATE$/)
  const [key] = pemBlocks(text, /PRIVATE KEY$/)
  if (cert === undefined || key === undefined) throw new Error(`${path} must hold a certificate and its private key (PEM)`)
  return { cert, key }
}

/**
 * The certificate+key file at `path`, issued by `ca` with `issue` when it is
 * missing, not issued by `ca`, near expiry (less than `renewMarginMs` left,
 * default RENEW_MARGIN_MS), or `acceptable` refuses it. Rewritten atomically
 * with mode 0600.
 */
export async function ensureIssuedFile(
  ca: LocalCa,
  path: string,
  issue: () => Promise<IssuedCertificate>,
  acceptable: (info: CertificateInfo) => boolean = () => true,
  renewMarginMs: number = RENEW_MARGIN_MS,
): Promise<TlsMaterial> {
  const text = await readIfExists(path)
  if (text !== null) {
    const [cert] = pemBlocks(text, /CERTIFICATE$/)
    const [key] = pemBlocks(text, /PRIVATE KEY$/)
    if (cert !== undefined && key !== undefined && ca.issued(cert)) {
      const info = describeCertificate(cert)
      if (!expiresWithin(info, renewMarginMs) && acceptable(info)) return Object.freeze({ cert, key, ca: ca.certPem, info })
    }
  }
  const fresh = await issue()
  await writeAtomic(path, fresh.certPem + fresh.keyPem, 0o600)
  return Object.freeze({ cert: fresh.certPem, key: fresh.keyPem, ca: ca.certPem, info: fresh.info })
}

/** Material from configured files: `certKeyPath` (cert + key) and `caPath`. */
export async function configuredMaterial(certKeyPath: string, caPath: string): Promise<TlsMaterial> {
  const { cert, key } = await readCertKeyFile(certKeyPath)
  const ca = await readFile(caPath, 'utf8')
  if (pemBlocks(ca, /CERTIFICATE$/).length === 0) throw new Error(`${caPath} holds no CA certificate`)
  return Object.freeze({ cert, key, ca, info: describeCertificate(cert) })
}
