/**
 * The `barbican` certificate manager (Octavia's barbican_cert_manager with
 * barbican_acl_auth): certificates and secrets live in a real Barbican found
 * in the Keystone catalog of the `[service_auth]` user.
 *
 * - A secret ref's payload is a PKCS12 bundle; a `/containers/` ref is a
 *   legacy certificate container whose secrets are the parts.
 * - Who reads: a project reader with a token reads with that token (Barbican
 *   checks the project); the service, or a project reader without token
 *   (noauth), reads as the service user, which needs the ACL that
 *   grantServiceAccess sets.
 * - grantServiceAccess adds the service user to the read ACL of the ref (and
 *   of a container's secrets) with the requester's token, as Octavia's API does.
 */
import type { Logger } from '../../common/logging.js'
import {
  CertificateDataError,
  CertificateRetrievalError,
  type CertificateManager,
  type CertificateReader,
  type TlsCertificate,
} from '../../model/certificate-manager.js'
import { certificateFromParts, certificateFromPkcs12, TlsDataError } from '../../pki/tls-bundle.js'
import { BarbicanApi, BarbicanCallError, type BarbicanCaller } from './barbican/barbican-api.js'
import { parseBarbicanRef, versionedBase, type BarbicanRef } from './barbican/barbican-ref.js'
import { catalogUrl, KeystoneSession, ServiceAuthError, type ServiceAuthSettings } from './barbican/keystone-session.js'
import { OpenstackHttp } from './barbican/openstack-http.js'

export interface BarbicanCertManagerSettings {
  readonly serviceAuth: ServiceAuthSettings & { readonly cafile: string; readonly insecure: boolean }
  /** `[certificates] region_name`; empty: any region. */
  readonly regionName: string
  /** `[certificates] endpoint_type` (`publicURL`, `internal`, …). */
  readonly endpointType: string
  /** Per HTTP request (default 30 s). */
  readonly timeoutMs?: number
}

export class BarbicanCertManager implements CertificateManager {
  readonly #settings: BarbicanCertManagerSettings
  readonly #http: OpenstackHttp
  readonly #session: KeystoneSession
  readonly #api: BarbicanApi
  readonly #log: Logger

  constructor(settings: BarbicanCertManagerSettings, log: Logger) {
    this.#settings = Object.freeze({ ...settings })
    this.#http = new OpenstackHttp({ cafile: settings.serviceAuth.cafile, insecure: settings.serviceAuth.insecure, timeoutMs: settings.timeoutMs ?? 30_000 })
    this.#session = new KeystoneSession(this.#http, settings.serviceAuth)
    this.#api = new BarbicanApi(this.#http)
    this.#log = log.child({ component: 'barbican-cert-manager' })
  }

  async getCertificate(ref: string, reader: CertificateReader, signal?: AbortSignal): Promise<TlsCertificate> {
    const target = refOf(ref)
    this.#log.info({ ref }, 'loading certificate from Barbican')
    return this.#as(ref, reader, signal, async (caller) => {
      if (target.kind === 'secrets') return certificateFromPkcs12(await this.#api.secretPayload(caller, target))
      return this.#fromContainer(caller, target)
    })
  }

  async getSecret(ref: string, reader: CertificateReader, signal?: AbortSignal): Promise<Buffer> {
    const target = refOf(ref)
    if (target.kind !== 'secrets') throw new CertificateRetrievalError(ref, 'a certificate container is not a secret')
    this.#log.info({ ref }, 'loading secret from Barbican')
    return this.#as(ref, reader, signal, (caller) => this.#api.secretPayload(caller, target))
  }

  async grantServiceAccess(ref: string, reader: CertificateReader, signal?: AbortSignal): Promise<void> {
    const target = refOf(ref)
    // NOTE: without the requester's token there is nobody to set an ACL as; the service reads with its own rights.
    if (reader.kind !== 'project' || !reader.authToken) return
    await this.#as(ref, reader, signal, async (caller, serviceUserId) => {
      await this.#api.ensureReadAcl(caller, target, serviceUserId)
      if (target.kind !== 'containers') return
      for (const secret of (await this.#api.certificateContainer(caller, target)).values()) await this.#api.ensureReadAcl(caller, secret, serviceUserId)
    })
  }

  /** Closes kept-alive connections. */
  async close(): Promise<void> {
    await this.#http.close()
  }

  /** The parts of a legacy certificate container, validated as Octavia's barbican_legacy manager does. */
  async #fromContainer(caller: BarbicanCaller, container: BarbicanRef): Promise<TlsCertificate> {
    const refs = await this.#api.certificateContainer(caller, container)
    const certificateRef = refs.get('certificate')
    if (!certificateRef) throw new BarbicanCallError(null, `container ${container.id} holds no certificate`)
    const payload = async (name: string): Promise<Buffer | null> => {
      const secret = refs.get(name)
      return secret ? this.#api.secretPayload(caller, secret) : null
    }
    return certificateFromParts({
      certificate: await this.#api.secretPayload(caller, certificateRef),
      privateKey: await payload('private_key'),
      passphrase: await payload('private_key_passphrase'),
      intermediates: await payload('intermediates'),
    })
  }

  /**
   * Runs `fn` as `reader` against the catalog's key-manager endpoint, and maps
   * failures: TlsDataError → CertificateDataError, the rest →
   * CertificateRetrievalError. A service token Barbican refuses (401) is
   * renewed once.
   */
  async #as<T>(ref: string, reader: CertificateReader, signal: AbortSignal | undefined, fn: (caller: BarbicanCaller, serviceUserId: string) => Promise<T>): Promise<T> {
    try {
      for (let attempt = 0; ; attempt++) {
        const service = await this.#session.get(signal)
        const endpoint = catalogUrl(service.catalog, 'key-manager', this.#settings.endpointType, this.#settings.regionName)
        if (endpoint === null) throw new ServiceAuthError(`no key-manager endpoint (${this.#settings.endpointType}) in the catalog`)
        const userToken = reader.kind === 'project' ? reader.authToken ?? null : null
        const caller = { base: versionedBase(endpoint), token: userToken ?? service.token, signal }
        try {
          return await fn(caller, service.userId)
        } catch (err) {
          if (userToken !== null || attempt > 0 || !(err instanceof BarbicanCallError) || err.status !== 401) throw err
          this.#session.invalidate(service.token)
        }
      }
    } catch (err) {
      throw this.#mapped(ref, err)
    }
  }

  #mapped(ref: string, err: unknown): Error {
    if (err instanceof TlsDataError) return new CertificateDataError(ref, err.problem, err.message, { cause: err })
    if (err instanceof BarbicanCallError || err instanceof ServiceAuthError) {
      this.#log.warn({ ref, reason: err.message }, 'Barbican reference could not be read')
      return new CertificateRetrievalError(ref, err.message, { cause: err })
    }
    return err instanceof Error ? err : new Error(String(err))
  }
}

function refOf(ref: string): BarbicanRef {
  const parsed = parseBarbicanRef(ref)
  if (parsed === null) throw new CertificateRetrievalError(ref, 'not a Barbican secret or container reference')
  return parsed
}
