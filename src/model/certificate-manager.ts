/**
 * The certificate manager (Octavia's `[certificates] cert_manager`): where
 * the TLS material that listeners and pools reference lives. The API reads
 * it on behalf of the requesting project to validate references; the worker
 * reads it as the service to render the amphorae's files. Implementations
 * (src/drivers/certificates): `local` (octavia-ts's own Barbican-compatible
 * secret store) and `barbican` (a real Barbican through Keystone).
 *
 * A reference is what the user passed (`default_tls_container_ref`, …): a
 * Barbican secret href (`…/v1/secrets/<uuid>`, PKCS12 payload) or a legacy
 * certificate container href (`…/v1/containers/<uuid>`).
 */

/** Who reads: a project through the API (with its token when there is one), or the service itself (the worker). */
export type CertificateReader =
  | { readonly kind: 'project'; readonly projectId: string; readonly authToken?: string | null }
  | { readonly kind: 'service' }

/** Names a certificate answers for (Octavia's get_host_names): CN lower-cased, SAN dNSNames as written. */
export interface HostNames {
  readonly cn: string | null
  readonly dnsNames: readonly string[]
}

/**
 * A usable TLS certificate: PEM text, the private key decrypted (never
 * logged, never stored unencrypted outside the amphora's 0600 files).
 */
export interface TlsCertificate {
  /** The leaf certificate, one PEM block. */
  readonly certificate: string
  /** The private key, unencrypted PEM; null for a certificate given without key. */
  readonly privateKey: string | null
  /** Intermediate certificates, one PEM block each, leaf-side first. */
  readonly intermediates: readonly string[]
  readonly hostNames: HostNames
}

/** The reference cannot be read: unknown, another project's, or the store is unreachable. Octavia's 400 `Could not retrieve certificate: [<ref>]`. */
export class CertificateRetrievalError extends Error {
  constructor(readonly ref: string, reason: string, opts?: ErrorOptions) {
    super(reason, opts)
    this.name = 'CertificateRetrievalError'
  }
}

/** Why certificate data is unusable (Octavia's exceptions of the same meaning). */
export type CertificateDataProblem =
  | 'unreadable-pkcs12' // UnreadablePKCS12
  | 'unreadable-cert' // UnreadableCert: not PEM/DER X.509
  | 'needs-passphrase' // NeedsPassphrase: encrypted key, no or wrong passphrase
  | 'mismatched-key' // MisMatchedKey
  | 'missing-subject' // MissingCertSubject: neither CN nor dNSName
  | 'unreadable-crl' // not a PEM CRL, or not signed by the CA

/** The reference was read but its data is unusable; `message` says why (no secret bytes in it). */
export class CertificateDataError extends Error {
  constructor(readonly ref: string, readonly problem: CertificateDataProblem, message: string, opts?: ErrorOptions) {
    super(message, opts)
    this.name = 'CertificateDataError'
  }
}

export interface CertificateManager {
  /**
   * The certificate (with key and intermediates) behind `ref`: a secret's
   * PKCS12 payload, or a certificate container. Throws
   * CertificateRetrievalError or CertificateDataError.
   */
  getCertificate(ref: string, reader: CertificateReader, signal?: AbortSignal): Promise<TlsCertificate>
  /** The raw payload of secret `ref` (client CA bundles and CRLs, PEM). Throws CertificateRetrievalError. */
  getSecret(ref: string, reader: CertificateReader, signal?: AbortSignal): Promise<Buffer>
  /**
   * Lets the service read `ref` later (Octavia's set_acls: a Barbican ACL for
   * the service user, set with the requester's token). Called by the API
   * once the reference validated. The local store needs nothing.
   */
  grantServiceAccess(ref: string, reader: CertificateReader, signal?: AbortSignal): Promise<void>
}
