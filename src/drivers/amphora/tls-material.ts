/**
 * The TLS material a load balancer's HAProxy needs, read from the
 * certificate manager as the service (the worker): for every listener that
 * terminates TLS its default and SNI certificates, client CA and CRL; for
 * every re-encrypting pool its client certificate, CA and CRL. Only what
 * the configuration renders is read (a disabled listener's references are
 * not). The material then becomes the amphora's files (tlsFilesOn).
 *
 * Holds private keys: never log a TlsMaterial nor put its PEM in an error.
 */
import type { CertificateFile } from '../../amphora-api/certificate-files.js'
import { certificateFileName } from '../../amphora-api/certificate-files.js'
import { TerminalError } from '../../common/errors.js'
import type { CertificateManager, CertificateReader } from '../../model/certificate-manager.js'
import type { LoadBalancerView } from '../../model/load-balancer-view.js'
import { caCertificatesFrom, crlFrom } from '../../pki/tls-bundle.js'
import { terminatesTls } from './haproxy/listener-tls.js'
import { planListeners } from './haproxy/render-plan.js'
import type { TlsFiles } from './haproxy/tls-files.js'

/** PEM text by reference: certificates (leaf, intermediates, key) and secrets (CA bundles, CRLs). */
export interface TlsMaterial {
  readonly certificates: ReadonlyMap<string, string>
  readonly secrets: ReadonlyMap<string, string>
}

/** A CA reference and the CRL that goes with it (a CRL is checked against its CA). */
interface CaUse { readonly ca: string; readonly crl: string | null }

const SERVICE: CertificateReader = { kind: 'service' }

/**
 * Reads every reference the rendered configuration of `view` uses. Throws
 * TerminalError naming the reference when one cannot be read or its data is
 * unusable (a certificate without private key, a CA bundle without
 * certificate, a CRL not signed by its CA): retrying cannot help, and the
 * message holds no secret.
 */
export async function readTlsMaterial(certs: CertificateManager, view: LoadBalancerView, signal?: AbortSignal): Promise<TlsMaterial> {
  const { certificateRefs, caUses } = referencesOf(view)
  const certificates = new Map<string, string>()
  for (const ref of certificateRefs) certificates.set(ref, await certificatePem(certs, ref, signal))
  const secrets = new Map<string, string>()
  const read = (ref: string): Promise<Buffer> => certs.getSecret(ref, SERVICE, signal)
  for (const { ca, crl } of caUses) {
    if (!secrets.has(ca)) secrets.set(ca, await secretPem(read, ca, caCertificatesFrom))
    if (crl === null || secrets.has(crl)) continue
    const caPems = caCertificatesFrom(secrets.get(ca) ?? '')
    secrets.set(crl, await secretPem(read, crl, (payload) => [crlFrom(payload, caPems)]))
  }
  return { certificates, secrets }
}

/** The references of what is rendered, each once. */
function referencesOf(view: LoadBalancerView): { certificateRefs: Set<string>; caUses: CaUse[] } {
  const certificateRefs = new Set<string>()
  const caUses: CaUse[] = []
  for (const plan of planListeners(view)) {
    const { listener } = plan
    if (terminatesTls(listener)) {
      for (const ref of [listener.tls.certificateRef, ...listener.tls.sniRefs]) if (ref !== null) certificateRefs.add(ref)
      if (listener.tls.clientCaRef !== null) caUses.push({ ca: listener.tls.clientCaRef, crl: listener.tls.clientCrlRef })
    }
    for (const { pool } of plan.pools) {
      if (!pool.tlsEnabled) continue
      if (pool.tlsCertificateId !== null) certificateRefs.add(pool.tlsCertificateId)
      if (pool.caTlsCertificateId !== null) caUses.push({ ca: pool.caTlsCertificateId, crl: pool.crlContainerId })
    }
  }
  return { certificateRefs, caUses }
}

/** Leaf, intermediates, then the key: the file HAProxy's `crt` reads. */
async function certificatePem(certs: CertificateManager, ref: string, signal?: AbortSignal): Promise<string> {
  const cert = await readOrFail(ref, () => certs.getCertificate(ref, SERVICE, signal))
  if (cert.privateKey === null) throw new TerminalError(`certificate [${ref}] has no private key`)
  return [cert.certificate, ...cert.intermediates, cert.privateKey].map(withNewline).join('')
}

/** A secret's payload checked and normalised by `parse` (which throws on unusable data). */
async function secretPem(get: (ref: string) => Promise<Buffer>, ref: string, parse: (payload: Buffer) => string[]): Promise<string> {
  const payload = await readOrFail(ref, () => get(ref))
  try {
    return parse(payload).map(withNewline).join('')
  } catch (err) {
    throw new TerminalError(`secret [${ref}] is unusable: ${(err as Error).message}`, { cause: err })
  }
}

/** The read, its failure a TerminalError naming `ref` (an abort stays an abort). */
async function readOrFail<T>(ref: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read()
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err
    throw new TerminalError(`could not retrieve certificate: [${ref}]: ${(err as Error).message}`, { cause: err })
  }
}

const withNewline = (pem: string): string => (pem.endsWith('\n') ? pem : `${pem}\n`)

/** The files of `material` on one amphora: what to upload, and the TlsFiles the renderer writes. */
export interface AmphoraTlsFiles {
  readonly uploads: readonly CertificateFile[]
  readonly files: TlsFiles
}

/** Names each PEM by its SHA-256 and places it with `pathOf` (the amphora's certs directory). */
export function tlsFilesOn(material: TlsMaterial, pathOf: (name: string) => string): AmphoraTlsFiles {
  const uploads = new Map<string, CertificateFile>()
  const place = (pems: ReadonlyMap<string, string>): Map<string, string> => new Map([...pems].map(([ref, pem]) => {
    const name = certificateFileName(pem)
    uploads.set(name, { name, pem })
    return [ref, pathOf(name)]
  }))
  const files: TlsFiles = { certificates: place(material.certificates), secrets: place(material.secrets) }
  return { uploads: [...uploads.values()], files }
}
