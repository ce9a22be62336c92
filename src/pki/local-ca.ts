/**
 * octavia-ts's own certificate authority (DESIGN.md §7): an ECDSA P-256 key
 * and a self-signed CA certificate in `<state_dir>/pki/` (`ca-key.pem` mode
 * 0600, `ca.pem`), created on first use and loaded on every later start.
 * It issues the agents' server certificates and the controller's client
 * certificates for the mutual TLS between them.
 */
import { createHash, createPublicKey, randomBytes, X509Certificate } from 'node:crypto'
import { mkdir } from 'node:fs/promises'
import { isIP } from 'node:net'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { describeCertificate, type CertificateInfo } from './certificate-info.js'
import { createExclusive, readIfExists } from './pem-files.js'
import { EC_ALGORITHM, subtle, x509 } from './x509.js'

/** A certificate with its private key, both PEM. */
export interface IssuedCertificate {
  readonly certPem: string
  /** PKCS#8 private key. */
  readonly keyPem: string
  readonly info: CertificateInfo
}

/** What a server certificate must name. */
export interface ServerCertificateRequest {
  readonly commonName: string
  readonly dnsNames?: readonly string[]
  readonly ipAddresses?: readonly string[]
  readonly validityDays?: number
}

export interface ClientCertificateRequest {
  readonly commonName: string
  readonly validityDays?: number
}

export interface LocalCaOptions {
  /** Validity of a new CA certificate; default 10 years. */
  readonly caValidityDays?: number
  /** How long to wait for another process that is creating the CA; default 3 s. */
  readonly creationWaitMs?: number
}

const DAY_MS = 86_400_000
/** Default validity of the certificates the CA issues (a year; rotation renews them earlier). */
export const DEFAULT_LEAF_VALIDITY_DAYS = 365
/** Issued certificates start a little in the past, for clocks that disagree by minutes. */
const BACKDATE_MS = 5 * 60_000

export class LocalCa {
  /** The CA certificate, PEM: what peers trust. */
  readonly certPem: string
  readonly info: CertificateInfo
  readonly #cert: x509.X509Certificate
  readonly #signingKey: CryptoKey

  private constructor(certPem: string, signingKey: CryptoKey) {
    this.certPem = certPem
    this.info = describeCertificate(certPem)
    this.#cert = new x509.X509Certificate(certPem)
    this.#signingKey = signingKey
  }

  /** Path of the CA certificate inside a PKI directory. */
  static certPath(dir: string): string { return join(dir, 'ca.pem') }

  /**
   * Loads the CA of `dir`, creating the directory, key and certificate when
   * missing. Idempotent and safe when several processes open the same
   * directory at once (the first key written wins; a certificate missing
   * beside an existing key is re-created from that key). Throws when the
   * files exist but do not belong together.
   */
  static async open(dir: string, opts: LocalCaOptions = {}): Promise<LocalCa> {
    await mkdir(dir, { recursive: true, mode: 0o700 })
    const keyPath = join(dir, 'ca-key.pem')
    const certPath = LocalCa.certPath(dir)
    let keyPem = await readIfExists(keyPath)
    let createdKey = false
    if (keyPem === null) {
      const candidate = await newKeyPem()
      createdKey = await createExclusive(keyPath, candidate, 0o600)
      keyPem = createdKey ? candidate : await readIfExists(keyPath)
      if (keyPem === null) throw new Error(`${keyPath} vanished while the CA was being created`)
    }
    let certPem = await readIfExists(certPath)
    if (certPem === null && !createdKey) certPem = await waitForFile(certPath, opts.creationWaitMs ?? 3000)
    const signingKey = await importPrivateKey(keyPem)
    if (certPem === null) {
      const candidate = await selfSigned(keyPem, signingKey, opts.caValidityDays ?? 3650)
      certPem = (await createExclusive(certPath, candidate, 0o644)) ? candidate : await readIfExists(certPath)
      if (certPem === null) throw new Error(`${certPath} vanished while the CA was being created`)
    }
    if (!sameKey(certPem, keyPem)) throw new Error(`${certPath} does not match ${keyPath}`)
    return new LocalCa(certPem, signingKey)
  }

  /** Issues a TLS server certificate naming the given DNS names and IP addresses. */
  async issueServer(req: ServerCertificateRequest): Promise<IssuedCertificate> {
    const names: x509.JsonGeneralName[] = [
      ...(req.dnsNames ?? []).map((value) => ({ type: 'dns' as const, value })),
      ...(req.ipAddresses ?? []).map((value) => {
        if (isIP(value) === 0) throw new Error(`'${value}' is not an IP address`)
        return { type: 'ip' as const, value }
      }),
    ]
    return this.#issue(req.commonName, req.validityDays, x509.ExtendedKeyUsage.serverAuth, names)
  }

  /** Issues a TLS client certificate. */
  async issueClient(req: ClientCertificateRequest): Promise<IssuedCertificate> {
    return this.#issue(req.commonName, req.validityDays, x509.ExtendedKeyUsage.clientAuth, [])
  }

  /** Whether `certPem` was issued (signed) by this CA. */
  issued(certPem: string): boolean {
    try {
      const c = new X509Certificate(certPem)
      return c.checkIssued(new X509Certificate(this.certPem)) && c.verify(new X509Certificate(this.certPem).publicKey)
    } catch {
      return false
    }
  }

  async #issue(
    commonName: string, validityDays: number | undefined, usage: string, names: x509.JsonGeneralName[],
  ): Promise<IssuedCertificate> {
    const keys = await subtle.generateKey(EC_ALGORITHM, true, ['sign', 'verify'])
    const now = Date.now()
    const days = validityDays ?? DEFAULT_LEAF_VALIDITY_DAYS
    if (!(days > 0)) throw new Error('validityDays must be positive')
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber: serialNumber(),
      subject: [{ CN: [commonName] }, { O: ['octavia-ts'] }],
      issuer: this.#cert.subjectName,
      notBefore: new Date(now - BACKDATE_MS),
      notAfter: new Date(now + days * DAY_MS),
      signingAlgorithm: EC_ALGORITHM,
      publicKey: keys.publicKey,
      signingKey: this.#signingKey,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyAgreement, true),
        new x509.ExtendedKeyUsageExtension([usage]),
        ...(names.length > 0 ? [new x509.SubjectAlternativeNameExtension(names)] : []),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
        await x509.AuthorityKeyIdentifierExtension.create(this.#cert),
      ],
    })
    const certPem = `${cert.toString('pem')}\n`
    return Object.freeze({ certPem, keyPem: await exportPrivateKey(keys.privateKey), info: describeCertificate(certPem) })
  }
}

async function newKeyPem(): Promise<string> {
  const keys = await subtle.generateKey(EC_ALGORITHM, true, ['sign', 'verify'])
  return exportPrivateKey(keys.privateKey)
}

async function exportPrivateKey(key: CryptoKey): Promise<string> {
  return `${x509.PemConverter.encode(await subtle.exportKey('pkcs8', key), 'PRIVATE KEY')}\n`
}

function importPrivateKey(pem: string): Promise<CryptoKey> {
  return subtle.importKey('pkcs8', x509.PemConverter.decodeFirst(pem), EC_ALGORITHM, false, ['sign'])
}

async function selfSigned(keyPem: string, signingKey: CryptoKey, days: number): Promise<string> {
  const spki = createPublicKey(keyPem).export({ type: 'spki', format: 'der' })
  const publicKey = await subtle.importKey('spki', spki, EC_ALGORITHM, true, ['verify'])
  const now = Date.now()
  // The name derives from the key, so a certificate re-created for the same key keeps earlier leaves valid.
  const keyId = createHash('sha256').update(spki).digest('hex').slice(0, 12)
  const name: x509.JsonName = [{ CN: [`octavia-ts local CA ${keyId}`] }, { O: ['octavia-ts'] }]
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serialNumber(),
    subject: name,
    issuer: name,
    notBefore: new Date(now - BACKDATE_MS),
    notAfter: new Date(now + days * DAY_MS),
    signingAlgorithm: EC_ALGORITHM,
    publicKey,
    signingKey,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(publicKey),
    ],
  })
  return `${cert.toString('pem')}\n`
}

function sameKey(certPem: string, keyPem: string): boolean {
  const fromCert = new X509Certificate(certPem).publicKey.export({ type: 'spki', format: 'der' })
  return fromCert.equals(createPublicKey(keyPem).export({ type: 'spki', format: 'der' }))
}

/** 16 random bytes, positive and without a leading zero byte (RFC 5280 §4.1.2.2). */
function serialNumber(): string {
  const bytes = randomBytes(16)
  bytes[0] = ((bytes[0] ?? 0) & 0x7f) | 0x10
  return bytes.toString('hex')
}

async function waitForFile(path: string, ms: number): Promise<string | null> {
  for (let waited = 0; waited < ms; waited += 50) {
    const text = await readIfExists(path)
    if (text !== null) return text
    await sleep(50)
  }
  return null
}
