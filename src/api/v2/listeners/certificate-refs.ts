import { badRequest, LbaasError, validationFailure } from '../../../common/errors.js'
import type { Logger } from '../../../common/logging.js'
import {
  CertificateDataError, CertificateRetrievalError, type CertificateManager, type CertificateReader,
} from '../../../model/certificate-manager.js'
import { caCertificatesFrom, crlFrom, TlsDataError } from '../../../pki/tls-bundle.js'
import { TLS_DATA_MESSAGES } from '../../../pki/tls-data-error.js'
import { pyRepr } from './py-repr.js'

/** The reference could not be used, and why (the reason is for `debuginfo` and the log: never secret bytes). */
interface BadRef {
  readonly ref: string
  readonly reason: string
}

/**
 * The certificate references of one listener or pool write, read as Octavia's
 * API reads them (base controller `_validate_tls_refs`,
 * `_validate_client_ca_and_crl_refs`) on behalf of the object's project with
 * the request's token. Remembers what it read so that, once every check of
 * the write passed, refuseMissingSubjects and grantServiceAccess finish the
 * job. One instance per write; not shared between requests.
 */
export class CertificateRefs {
  readonly #manager: CertificateManager
  readonly #reader: CertificateReader
  readonly #log: Logger
  readonly #read: string[] = []
  readonly #withoutSubject: string[] = []

  constructor(manager: CertificateManager, reader: CertificateReader, log: Logger) {
    this.#manager = manager
    this.#reader = reader
    this.#log = log
  }

  /**
   * `_validate_tls_refs`: reads each certificate (SNI refs, then the default,
   * as the caller orders them). Throws at once Octavia's UnreadablePKCS12 400;
   * otherwise, after all, 400 `Could not retrieve certificate: [<bad refs>]`
   * with each reason in `debuginfo`. A certificate without CN or dNSName is
   * remembered for refuseMissingSubjects.
   */
  async checkCertificates(refs: readonly string[]): Promise<void> {
    const bad: BadRef[] = []
    for (const ref of refs) {
      try {
        await this.#manager.getCertificate(ref, this.#reader)
        this.#remember(ref)
      } catch (err) {
        if (err instanceof CertificateDataError && err.problem === 'unreadable-pkcs12') throw unreadablePkcs12(err.message)
        if (err instanceof CertificateDataError && err.problem === 'missing-subject') {
          this.#remember(ref)
          this.#withoutSubject.push(ref)
          continue
        }
        bad.push(this.#bad(ref, err))
      }
    }
    if (bad.length) throw certificateRetrieval(bad)
  }

  /**
   * `_validate_client_ca_and_crl_refs`: reads the CA bundle and the optional
   * CRL (400 `Could not retrieve certificate` naming those that cannot be
   * read), then checks that the CA bundle holds PEM X.509 certificates, the
   * CRL is a PEM CRL, and that the bundle's first certificate (the one
   * Octavia's API loads) signed the CRL (Octavia's three messages).
   */
  async checkCaAndCrl(caRef: string, crlRef: string | null): Promise<void> {
    const bad: BadRef[] = []
    const read = async (ref: string): Promise<Buffer | null> => {
      try {
        const payload = await this.#manager.getSecret(ref, this.#reader)
        this.#remember(ref)
        return payload
      } catch (err) {
        bad.push(this.#bad(ref, err))
        return null
      }
    }
    const caPem = await read(caRef)
    const crlPem = crlRef ? await read(crlRef) : null
    if (bad.length) throw certificateRetrieval(bad)
    const cas = pemChecked(() => caCertificatesFrom(caPem!))
    if (crlPem) pemChecked(() => crlFrom(crlPem, cas.slice(0, 1)))
  }

  /**
   * Octavia's MissingCertSubject 400 for a certificate with neither CN nor
   * dNSName. Octavia finds it when it converts the object for its provider,
   * after every other check: callers call this there.
   */
  refuseMissingSubjects(): void {
    if (this.#withoutSubject.length === 0) return
    this.#log.info({ refs: this.#withoutSubject }, 'certificate without CN or dNSName refused')
    throw new LbaasError('missing_cert_subject', 400, 'No CN or DNSName(s) found in certificate. The certificate is invalid.')
  }

  /**
   * Lets the service read every reference this write validated (Octavia's
   * set_acls), once all checks passed and before the write. A reference the
   * manager cannot grant is unusable: 400 `Could not retrieve certificate`.
   */
  async grantServiceAccess(): Promise<void> {
    const bad: BadRef[] = []
    for (const ref of this.#read) {
      try {
        await this.#manager.grantServiceAccess(ref, this.#reader)
      } catch (err) {
        bad.push(this.#bad(ref, err))
      }
    }
    if (bad.length) throw certificateRetrieval(bad)
  }

  #remember(ref: string): void {
    if (!this.#read.includes(ref)) this.#read.push(ref)
  }

  #bad(ref: string, err: unknown): BadRef {
    const known = err instanceof CertificateRetrievalError || err instanceof CertificateDataError
    // NOTE: the manager's own errors carry no secret bytes; anything else is logged by name only.
    const reason = known ? err.message : 'the certificate manager failed'
    this.#log.warn({ ref, reason, error: err instanceof Error ? err.name : typeof err }, 'certificate reference unusable')
    return { ref, reason }
  }
}

/**
 * Runs a CA or CRL check of src/pki; its TlsDataError becomes Octavia's
 * `Validation failure: <text>`, with ` Error: <why>` after the two texts
 * that carry the parser's reason in Octavia (CA and CRL not readable).
 */
function pemChecked<T>(check: () => T): T {
  try {
    return check()
  } catch (err) {
    if (!(err instanceof TlsDataError)) throw err
    if (err.message === TLS_DATA_MESSAGES.crlNotForCa) throw validationFailure(err.message)
    const why = err.cause instanceof Error ? err.cause.message : 'no PEM block of that kind found'
    throw validationFailure(`${err.message} Error: ${why}`)
  }
}

/** Octavia's CertificateRetrievalException with the refs as a Python list; the reasons go to `debuginfo`. */
function certificateRetrieval(bad: readonly BadRef[]): LbaasError {
  return new LbaasError('certificate_retrieval', 400, `Could not retrieve certificate: ${pyRepr(bad.map(b => b.ref))}`, {
    debugInfo: bad.map(b => `${b.ref}: ${b.reason}`).join('; '),
  })
}

const UNREADABLE_PKCS12 = 'The PKCS12 bundle is unreadable. Please check the PKCS12 bundle validity. In addition, make sure it does not require a pass phrase.'

/** Octavia's UnreadablePKCS12: the manager's message when it is already that text (src/pki words it so), else wrapped as the reason. */
const unreadablePkcs12 = (message: string): LbaasError =>
  badRequest(message.startsWith(UNREADABLE_PKCS12) ? message : `${UNREADABLE_PKCS12} Error: ${message}`, 'unreadable_pkcs12')

/** The CertificateRefs of a write to an object of `projectId`, read with the request's Keystone token (null without one). */
export const certificateRefsFor = (
  deps: { readonly certificates: CertificateManager; readonly log: Logger }, projectId: string, authToken: string | null | undefined,
): CertificateRefs => new CertificateRefs(deps.certificates, { kind: 'project', projectId, authToken: authToken ?? null }, deps.log)
