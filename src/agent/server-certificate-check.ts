/**
 * What the agent accepts as its new server certificate (`PUT
 * /1.0/certificate`): checked completely before anything is written or
 * switched, so a bad upload leaves the agent exactly as it was.
 */
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto'
import { createSecureContext } from 'node:tls'
import { describeCertificate, type CertificateInfo } from '../pki/certificate-info.js'
import { pemBlocks } from '../pki/pem-files.js'
import { AgentHttpError } from './agent-http-error.js'

/** A server certificate that passed every check. */
export interface CheckedServerCertificate {
  /** The certificate (PEM). */
  readonly cert: string
  /** Its private key (PEM). */
  readonly key: string
  readonly info: CertificateInfo
}

/** OID of the TLS server authentication extended key usage. */
const SERVER_AUTH = '1.3.6.1.5.5.7.3.1'

const bad = (message: string, details?: string): AgentHttpError => new AgentHttpError(400, message, details)

/**
 * Checks a PEM text holding exactly one server certificate and its private
 * key (Octavia's server PEM; no chain: the local CA issues directly): both parse, the key belongs to
 * the certificate, it is not a CA and is meant for TLS servers (when it has
 * an extended key usage), it is valid at `now`, it is signed directly by one
 * of the CA certificates in `issuers` (PEM bundle), and Node's TLS accepts
 * the pair. Throws AgentHttpError 400 naming the first failed check.
 */
export function checkServerCertificate(pem: string, issuers: string, now: Date = new Date()): CheckedServerCertificate {
  const certs = pemBlocks(pem, /^CERTIFICATE$/)
  const keys = pemBlocks(pem, /PRIVATE KEY$/)
  const [first] = certs
  const [keyPem] = keys
  if (first === undefined || keyPem === undefined || certs.length !== 1 || keys.length !== 1) {
    throw bad('invalid certificate', 'the body must hold one PEM certificate and its private key')
  }
  const leaf = parse(() => new X509Certificate(first), 'the certificate does not parse')
  const key: KeyObject = parse(() => createPrivateKey(keyPem), 'the private key does not parse')
  if (!leaf.checkPrivateKey(key)) throw bad('invalid certificate', 'the private key does not belong to the certificate')
  if (leaf.ca) throw bad('invalid certificate', 'a CA certificate is not a server certificate')
  const usages = leaf.keyUsage as string[] | undefined
  if (usages !== undefined && usages.length > 0 && !usages.includes(SERVER_AUTH)) {
    throw bad('invalid certificate', 'the certificate is not meant for TLS servers (extended key usage)')
  }
  const info = describeCertificate(first)
  if (info.notBefore.getTime() > now.getTime() || info.notAfter.getTime() <= now.getTime()) {
    throw bad('invalid certificate', `the certificate is not valid now (valid from ${info.notBefore.toISOString()} to ${info.notAfter.toISOString()})`)
  }
  if (!issuedByOneOf(leaf, issuers)) throw bad('invalid certificate', `the certificate's issuer (${oneLine(info.issuer)}) is not a CA this agent trusts`)
  parse(() => createSecureContext({ cert: first, key: keyPem }), 'TLS refuses the certificate')
  return Object.freeze({ cert: first, key: keyPem, info })
}

/** Whether `leaf` names one of the CA certificates of `bundle` as issuer and carries its valid signature. */
function issuedByOneOf(leaf: X509Certificate, bundle: string): boolean {
  for (const pem of pemBlocks(bundle, /^CERTIFICATE$/)) {
    try {
      const ca = new X509Certificate(pem)
      if (ca.ca && leaf.checkIssued(ca) && leaf.verify(ca.publicKey)) return true
    } catch {
      // NOTE: a CA of the bundle that does not parse cannot have issued anything; the others may have.
    }
  }
  return false
}

function parse<T>(fn: () => T, what: string): T {
  try {
    return fn()
  } catch (err) {
    throw bad('invalid certificate', `${what}: ${(err as Error).message}`)
  }
}

const oneLine = (name: string): string => name.replaceAll('\n', ', ')
