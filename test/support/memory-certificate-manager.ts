/**
 * An in-memory CertificateManager for tests that are about something else
 * (API checks, rendering, the worker). Entries are put under a reference and
 * a project; reads parse them with src/pki/tls-bundle.ts like the real
 * managers, so the data problems are the real ones.
 *
 * Access: a project reader sees its own project's entries only; the service
 * reader sees every entry (as after grantServiceAccess in Barbican; the
 * grants are recorded in `grants` for tests that check them).
 *
 *   const certs = new MemoryCertificateManager()
 *   const ref = certs.put(certs.newRef(), { pkcs12: await tls.pkcs12(www) }, projectId)
 */
import { randomUUID } from 'node:crypto'
import {
  CertificateDataError,
  CertificateRetrievalError,
  type CertificateManager,
  type CertificateReader,
  type TlsCertificate,
} from '../../src/model/certificate-manager.js'
import { certificateFromParts, certificateFromPkcs12, TlsDataError, type CertificateParts } from '../../src/pki/tls-bundle.js'

/** What an entry holds: a PKCS12 secret, the parts of a legacy certificate container, or a plain secret (CA bundle, CRL). */
export type MemoryEntry =
  | { readonly pkcs12: Buffer }
  | { readonly parts: CertificateParts }
  | { readonly secret: Buffer | string }

/** One grantServiceAccess call. */
export interface RecordedGrant {
  readonly ref: string
  readonly reader: CertificateReader
}

export class MemoryCertificateManager implements CertificateManager {
  readonly #entries = new Map<string, { entry: MemoryEntry; projectId: string }>()
  readonly #grants: RecordedGrant[] = []

  /** The grantServiceAccess calls so far, in order. */
  get grants(): readonly RecordedGrant[] {
    return [...this.#grants]
  }

  /** A fresh Barbican-like href: `http://barbican.invalid/v1/<kind>/<uuid>`. */
  newRef(kind: 'secrets' | 'containers' = 'secrets'): string {
    return `http://barbican.invalid/v1/${kind}/${randomUUID()}`
  }

  /** Stores (or replaces) `entry` under `ref` for `projectId`; returns `ref`. */
  put(ref: string, entry: MemoryEntry, projectId: string): string {
    this.#entries.set(ref, { entry, projectId })
    return ref
  }

  /** Forgets `ref` (a secret deleted in the store). */
  remove(ref: string): void {
    this.#entries.delete(ref)
  }

  async getCertificate(ref: string, reader: CertificateReader): Promise<TlsCertificate> {
    const entry = this.#read(ref, reader)
    try {
      if ('parts' in entry) return certificateFromParts(entry.parts)
      const payload = 'pkcs12' in entry ? entry.pkcs12 : Buffer.from(entry.secret)
      return certificateFromPkcs12(payload)
    } catch (err) {
      if (err instanceof TlsDataError) throw new CertificateDataError(ref, err.problem, err.message, { cause: err })
      throw err
    }
  }

  async getSecret(ref: string, reader: CertificateReader): Promise<Buffer> {
    const entry = this.#read(ref, reader)
    if ('parts' in entry) throw new CertificateRetrievalError(ref, 'a certificate container is not a secret')
    return Buffer.from('pkcs12' in entry ? entry.pkcs12 : entry.secret)
  }

  async grantServiceAccess(ref: string, reader: CertificateReader): Promise<void> {
    this.#read(ref, reader)
    this.#grants.push(Object.freeze({ ref, reader }))
  }

  #read(ref: string, reader: CertificateReader): MemoryEntry {
    const stored = this.#entries.get(ref)
    if (stored === undefined) throw new CertificateRetrievalError(ref, 'no such certificate reference')
    if (reader.kind === 'project' && reader.projectId !== stored.projectId) throw new CertificateRetrievalError(ref, 'the reference belongs to another project')
    return stored.entry
  }
}
