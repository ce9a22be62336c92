/**
 * Reading a client-authentication CA bundle and its revocation list as
 * Octavia's API does before it accepts them (`_validate_client_ca_and_crl_refs`):
 * the first PEM certificate of the bundle is the CA, the first PEM CRL is the
 * list, and the list must be signed by that CA's key. Both are public data.
 */
import { pemBlocks } from './pem-files.js'
import { x509 } from './x509.js'

/** The payload is not what it must be; `message` says why (safe to show: CAs and CRLs are public). */
export class PemDataError extends Error {
  constructor(message: string, opts?: ErrorOptions) {
    super(message, opts)
    this.name = 'PemDataError'
  }
}

const text = (payload: Buffer | string): string => (typeof payload === 'string' ? payload : payload.toString('latin1'))

const reason = (err: unknown): string => (err instanceof Error ? err.message : String(err))

/** The first PEM `CERTIFICATE` of `payload`. Throws PemDataError when there is none or it does not parse. */
export function firstPemCertificate(payload: Buffer | string): x509.X509Certificate {
  const [block] = pemBlocks(text(payload), /^CERTIFICATE$/)
  if (!block) throw new PemDataError('no PEM certificate found')
  try {
    return new x509.X509Certificate(block)
  } catch (err) {
    throw new PemDataError(`the PEM certificate does not parse: ${reason(err)}`, { cause: err })
  }
}

/** The first PEM `X509 CRL` of `payload`. Throws PemDataError when there is none or it does not parse. */
export function firstPemCrl(payload: Buffer | string): x509.X509Crl {
  const [block] = pemBlocks(text(payload), /^X509 CRL$/)
  if (!block) throw new PemDataError('no PEM certificate revocation list found')
  try {
    return new x509.X509Crl(block)
  } catch (err) {
    throw new PemDataError(`the PEM certificate revocation list does not parse: ${reason(err)}`, { cause: err })
  }
}

/** Whether `crl` carries a valid signature of `ca`'s key. An algorithm WebCrypto cannot verify counts as not signed. */
export async function crlSignedBy(crl: x509.X509Crl, ca: x509.X509Certificate): Promise<boolean> {
  try {
    return await crl.verify({ publicKey: ca.publicKey })
  } catch {
    return false
  }
}
