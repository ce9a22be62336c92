import { nowIso } from '../../common/time.js'
import { ambientExecutor } from '../../db/ambient-transaction.js'
import type { Database } from '../../db/database.js'
import { findContainer } from '../../db/repositories/secret-container-repository.js'
import { findSecret } from '../../db/repositories/secret-repository.js'
import {
  CertificateDataError, CertificateRetrievalError,
  type CertificateManager, type CertificateReader, type TlsCertificate,
} from '../../model/certificate-manager.js'
import type { SecretBox } from '../../pki/secret-box.js'
import { certificateFromParts, certificateFromPkcs12, TlsDataError } from '../../pki/tls-bundle.js'
import { parseLocalRef, type LocalRef } from './local-ref.js'

/** What the local certificate manager reads with. */
export interface LocalCertManagerDeps {
  readonly database: Database
  /** The store's cipher (the API's key: `[certificates] secret_store_key` or the key file). */
  readonly box: () => SecretBox
}

/**
 * `[certificates] cert_manager = local`: references into octavia-ts's own
 * secret store (src/api/key-manager). A project reads only its own
 * project's secrets and containers (another project's answer as unknown
 * ones do); the service reads every one. A secret reference is a PKCS12
 * bundle without passphrase; a certificate container names its
 * `certificate`, `private_key`, `private_key_passphrase` and
 * `intermediates` secrets. No ACLs exist here: grantServiceAccess does
 * nothing.
 */
export class LocalCertManager implements CertificateManager {
  readonly #deps: LocalCertManagerDeps

  constructor(deps: LocalCertManagerDeps) {
    this.#deps = Object.freeze({ ...deps })
  }

  async getCertificate(ref: string, reader: CertificateReader): Promise<TlsCertificate> {
    const target = this.#parse(ref)
    try {
      if (target.kind === 'secret') return certificateFromPkcs12(await this.#payload(ref, target.id, reader))
      return certificateFromParts(await this.#containerParts(ref, target, reader))
    } catch (err) {
      if (err instanceof TlsDataError) throw new CertificateDataError(ref, err.problem, err.message, { cause: err })
      throw err
    }
  }

  async getSecret(ref: string, reader: CertificateReader): Promise<Buffer> {
    const target = this.#parse(ref)
    if (target.kind !== 'secret') throw new CertificateRetrievalError(ref, 'a container reference where a secret is expected')
    return this.#payload(ref, target.id, reader)
  }

  async grantServiceAccess(): Promise<void> {}

  #parse(ref: string): LocalRef {
    const target = parseLocalRef(ref)
    if (!target) throw new CertificateRetrievalError(ref, 'not a secret or container reference of the local secret store')
    return target
  }

  /** The decrypted payload of secret `id`, if `reader` may read it. */
  async #payload(ref: string, id: string, reader: CertificateReader): Promise<Buffer> {
    const secret = await findSecret(ambientExecutor(this.#deps.database), id, nowIso())
    if (!secret || !mayRead(reader, secret.project_id)) throw new CertificateRetrievalError(ref, 'no such secret')
    if (secret.payload_sealed === null) throw new CertificateRetrievalError(ref, 'the secret has no payload')
    return this.#deps.box().open(Buffer.from(secret.payload_sealed, 'base64'), secret.id)
  }

  /** The decrypted parts of a certificate container. */
  async #containerParts(ref: string, target: LocalRef, reader: CertificateReader) {
    const found = await findContainer(ambientExecutor(this.#deps.database), target.id)
    if (!found || !mayRead(reader, found.container.project_id)) throw new CertificateRetrievalError(ref, 'no such container')
    if (found.container.type !== 'certificate') throw new CertificateRetrievalError(ref, `a ${found.container.type} container, not a certificate container`)
    const part = async (name: string): Promise<Buffer | null> => {
      const r = found.refs.find(x => x.name === name)
      return r ? this.#payload(ref, r.secret_id, { kind: 'service' }) : null
    }
    const certificate = await part('certificate')
    if (certificate === null) throw new CertificateRetrievalError(ref, 'the container has no certificate')
    return {
      certificate, privateKey: await part('private_key'),
      passphrase: await part('private_key_passphrase'), intermediates: await part('intermediates'),
    }
  }
}

const mayRead = (reader: CertificateReader, projectId: string): boolean =>
  reader.kind === 'service' || reader.projectId === projectId
