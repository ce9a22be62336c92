/**
 * Private keys of TLS certificates: read (PKCS#1, PKCS#8, SEC1 EC; plain or
 * encrypted PEM), checked against their certificate, and written back
 * unencrypted in OpenSSL's traditional form as Octavia's prepare_private_key
 * does (PKCS#1 for RSA, SEC1 for EC, PKCS#8 for other kinds).
 */
import { createPrivateKey, type KeyObject, type X509Certificate } from 'node:crypto'
import { TLS_DATA_MESSAGES, TlsDataError } from './tls-data-error.js'

/**
 * The key of a PEM text, decrypted with `passphrase` when it is encrypted.
 * Like Octavia, any key that cannot be loaded (encrypted without or with a
 * wrong passphrase, or not a key at all) is `needs-passphrase`.
 */
export function readPrivateKey(pem: Buffer | string, passphrase?: Buffer | string | null): KeyObject {
  const secret = passphrase === undefined || passphrase === null || passphrase.length === 0 ? undefined : passphrase
  try {
    // NOTE: an unencrypted key ignores a passphrase given with it, as cryptography does not (it refuses); Octavia's clients rely on neither.
    return createPrivateKey({ key: pem, format: 'pem', ...(secret === undefined ? {} : { passphrase: secret }) })
  } catch (err) {
    throw new TlsDataError('needs-passphrase', TLS_DATA_MESSAGES.needsPassphrase, { cause: redacted(err) })
  }
}

/** Throws `mismatched-key` unless `key` is the private half of the certificate's public key. */
export function assertKeyMatches(certificate: X509Certificate, key: KeyObject): void {
  if (!certificate.checkPrivateKey(key)) throw new TlsDataError('mismatched-key', TLS_DATA_MESSAGES.mismatchedKey)
}

/** The key as unencrypted PEM, one block ending with a newline. */
export function unencryptedPem(key: KeyObject): string {
  const kind = key.asymmetricKeyType
  if (kind === 'rsa') return key.export({ format: 'pem', type: 'pkcs1' }) as string
  if (kind === 'ec') return key.export({ format: 'pem', type: 'sec1' }) as string
  return key.export({ format: 'pem', type: 'pkcs8' }) as string
}

/** The cause kept for logs: the error's code and message only (OpenSSL's messages name no key bytes). */
function redacted(err: unknown): Error {
  const e = err as { code?: string; message?: string }
  return new Error(`${e.code ?? 'error'}: ${e.message ?? String(err)}`)
}
