/**
 * The agent's server certificate while it runs: one per agent host (every
 * amphora of the host is served with it), replaced without a restart by
 * housekeeping's certificate rotation through `PUT /1.0/certificate`.
 */
import type { Logger } from '../common/logging.js'
import type { CertificateInfo } from '../pki/certificate-info.js'
import { writeAtomic } from '../pki/pem-files.js'
import type { AgentTlsMaterial } from './agent-tls.js'
import { checkServerCertificate } from './server-certificate-check.js'

/** Switches the listening server to a new certificate and key (Node's `server.setSecureContext`). */
export type ApplyServerCertificate = (pair: { readonly cert: string; readonly key: string }) => void

export class ServerCertificate {
  readonly #path: string
  readonly #issuers: string
  readonly #apply: ApplyServerCertificate
  readonly #log: Logger
  #info: CertificateInfo
  #pair: { readonly cert: string; readonly key: string }
  #tail: Promise<unknown> = Promise.resolve()

  /** `material`: what the agent started with (its file, issuers and current pair). */
  constructor(material: AgentTlsMaterial, apply: ApplyServerCertificate, log: Logger) {
    this.#path = material.certPath
    this.#issuers = material.issuers
    this.#apply = apply
    this.#log = log
    this.#info = material.info
    this.#pair = { cert: material.cert, key: material.key }
  }

  /** The certificate new connections get. */
  get info(): CertificateInfo { return this.#info }

  /**
   * Installs the certificate and key of `pem` (checkServerCertificate; 400
   * AgentHttpError and nothing changed when a check fails): written
   * atomically (mode 0600) to the file the agent loads at start, so a
   * restart keeps it, then made the listening server's certificate. New
   * connections get it; established ones keep theirs until they close.
   * Installs run one at a time; installing the current pair again is
   * harmless (idempotent). When switching fails after the write, the old
   * file is put back.
   */
  install(pem: string): Promise<CertificateInfo> {
    const run = async (): Promise<CertificateInfo> => {
      const next = checkServerCertificate(pem, this.#issuers)
      await writeAtomic(this.#path, next.cert + next.key, 0o600)
      try {
        this.#apply(next)
      } catch (err) {
        await writeAtomic(this.#path, this.#pair.cert + this.#pair.key, 0o600)
          .catch((restoreErr: unknown) => this.#log.error({ err: restoreErr, path: this.#path }, 'could not restore the previous agent certificate file'))
        throw err
      }
      const previous = this.#info
      this.#info = next.info
      this.#pair = { cert: next.cert, key: next.key }
      this.#log.info({
        serial: next.info.serialNumber, notAfter: next.info.notAfter, previousSerial: previous.serialNumber, path: this.#path,
      }, 'agent server certificate replaced')
      return next.info
    }
    const result = this.#tail.then(run, run)
    this.#tail = result.catch(() => undefined)
    return result
  }
}
