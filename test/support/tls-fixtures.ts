/**
 * Real TLS material for tests, made by the `openssl` CLI in a temporary
 * directory: two unrelated CAs (`ca`, `otherCa`), server certificates for
 * given host names (RSA-2048 or ECDSA P-256), client certificates, CRLs and
 * PKCS12 bundles without passphrase. Every PEM string ends with one newline;
 * every item also names its file. `cleanup()` removes the directory.
 *
 *   const tls = await createTlsFixtures()
 *   after(() => tls.cleanup())
 *   const www = await tls.serverCertificate({ cn: 'www.example.com', dnsNames: ['www.example.com'] })
 *   const p12 = await tls.pkcs12(www)          // Buffer, for a secret's payload
 *   const alice = await tls.clientCertificate('alice')
 *   const crl = await tls.crl([alice])         // revokes alice, signed by tls.ca
 */
import { execFile } from 'node:child_process'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** A key kind the fixtures generate. */
export type FixtureKeyType = 'rsa' | 'ec'

/** A certificate with its (unencrypted PEM) key, as text and as files. */
export interface FixtureCertificate {
  readonly name: string
  readonly certPem: string
  readonly keyPem: string
  readonly certPath: string
  readonly keyPath: string
}

/** A CA that issues the fixtures' certificates and CRLs. */
export interface FixtureCa extends FixtureCertificate {
  /** The openssl `ca` directory of this CA (index.txt, crlnumber, ca.cnf). */
  readonly dir: string
}

export interface ServerCertificateOptions {
  /** Subject CN; null for a subject without CN. Default: the first dNSName, or 'server'. */
  readonly cn?: string | null
  /** SAN dNSNames; none when empty (the default). */
  readonly dnsNames?: readonly string[]
  readonly keyType?: FixtureKeyType
  /** Issuer; default `ca`. */
  readonly issuer?: FixtureCa
}

export interface Pkcs12Options {
  /** Added after the leaf (`-certfile`), in order. */
  readonly intermediates?: readonly FixtureCertificate[]
  /** OpenSSL's `-legacy` encryption (RC2-40 certificates, 3DES key, SHA-1 MAC) instead of its AES-256/PBKDF2 default. */
  readonly legacy?: boolean
}

export interface TlsFixtures {
  readonly dir: string
  readonly ca: FixtureCa
  /** A second CA that has nothing to do with `ca`. */
  readonly otherCa: FixtureCa
  /** One more CA (RSA-2048 unless `keyType` says otherwise). */
  newCa(cn: string, keyType?: FixtureKeyType): Promise<FixtureCa>
  serverCertificate(opts?: ServerCertificateOptions): Promise<FixtureCertificate>
  /** A client certificate (CN = `cn`, clientAuth) issued by `issuer` (default `ca`). */
  clientCertificate(cn: string, opts?: { keyType?: FixtureKeyType; issuer?: FixtureCa }): Promise<FixtureCertificate>
  /** A PEM CRL of `issuer` (default `ca`) revoking `revoked` (may be empty). NOTE: revocations accumulate per CA: a later CRL still lists earlier ones. */
  crl(revoked: readonly FixtureCertificate[], issuer?: FixtureCa): Promise<{ readonly pem: string; readonly path: string }>
  /** A PKCS12 bundle of `cert` and its key without passphrase. */
  pkcs12(cert: FixtureCertificate, opts?: Pkcs12Options): Promise<Buffer>
  /** Runs `openssl args…` in the fixtures' directory; resolves stdout, rejects with stderr. */
  openssl(args: readonly string[], input?: string): Promise<Buffer>
  cleanup(): Promise<void>
}

/** Creates the directory and the two CAs (about half a second). */
export async function createTlsFixtures(): Promise<TlsFixtures> {
  const dir = await mkdtemp(join(tmpdir(), 'octavia-tls-fixtures-'))
  try {
    const openssl = (args: readonly string[], input?: string): Promise<Buffer> => runOpenssl(dir, args, input)
    let counter = 0
    const unique = (prefix: string): string => `${prefix}-${++counter}`
    const ca = await makeCa(dir, 'ca', 'Octavia Test CA', 'rsa', openssl)
    const otherCa = await makeCa(dir, 'other-ca', 'Unrelated Test CA', 'rsa', openssl)
    return Object.freeze({
      dir,
      ca,
      otherCa,
      newCa: (cn: string, keyType: FixtureKeyType = 'rsa') => makeCa(dir, unique('ca'), cn, keyType, openssl),
      serverCertificate: (opts: ServerCertificateOptions = {}) => serverCertificate(dir, unique('server'), opts, ca, openssl),
      clientCertificate: (cn: string, opts: { keyType?: FixtureKeyType; issuer?: FixtureCa } = {}) =>
        issue(dir, unique('client'), { subject: `/CN=${cn}`, extensions: 'extendedKeyUsage=clientAuth', keyType: opts.keyType ?? 'rsa', issuer: opts.issuer ?? ca }, openssl),
      crl: (revoked: readonly FixtureCertificate[], issuer: FixtureCa = ca) => makeCrl(issuer, revoked, unique('crl'), openssl),
      pkcs12: (cert: FixtureCertificate, opts: Pkcs12Options = {}) => makePkcs12(dir, cert, opts, unique('bundle'), openssl),
      openssl,
      cleanup: () => rm(dir, { recursive: true, force: true }),
    })
  } catch (err) {
    await rm(dir, { recursive: true, force: true })
    throw err
  }
}

function runOpenssl(cwd: string, args: readonly string[], input?: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = execFile('openssl', [...args], { cwd, encoding: 'buffer', timeout: 30_000, maxBuffer: 8 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`openssl ${args[0]} failed: ${stderr.toString().trim()}`))
      else resolve(stdout)
    })
    child.stdin?.end(input ?? '')
  })
}

type Openssl = TlsFixtures['openssl']

function keyArgs(keyType: FixtureKeyType): string[] {
  return keyType === 'rsa' ? ['-newkey', 'rsa:2048'] : ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256']
}

async function loaded(name: string, certPath: string, keyPath: string): Promise<FixtureCertificate> {
  return Object.freeze({ name, certPath, keyPath, certPem: await readFile(certPath, 'utf8'), keyPem: await readFile(keyPath, 'utf8') })
}

async function makeCa(root: string, name: string, cn: string, keyType: FixtureKeyType, openssl: Openssl): Promise<FixtureCa> {
  const dir = join(root, name)
  await mkdir(dir)
  const certPath = join(dir, 'ca.pem')
  const keyPath = join(dir, 'ca-key.pem')
  await openssl(['req', '-x509', ...keyArgs(keyType), '-nodes', '-keyout', keyPath, '-out', certPath, '-days', '30', '-subj', `/CN=${cn}`,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'])
  await writeFile(join(dir, 'index.txt'), '')
  await writeFile(join(dir, 'crlnumber'), '01\n')
  await writeFile(join(dir, 'ca.cnf'), caConfig(dir, certPath, keyPath))
  return Object.freeze({ ...(await loaded(name, certPath, keyPath)), dir })
}

/** The minimal `openssl ca` configuration for revoking and CRL generation. */
function caConfig(dir: string, certPath: string, keyPath: string): string {
  return [
    '[ca]', 'default_ca = fixture', '[fixture]', `database = ${join(dir, 'index.txt')}`, `crlnumber = ${join(dir, 'crlnumber')}`,
    `certificate = ${certPath}`, `private_key = ${keyPath}`, 'default_md = sha256', 'default_crl_days = 30', '',
  ].join('\n')
}

interface IssueSpec {
  readonly subject: string
  readonly extensions: string
  readonly keyType: FixtureKeyType
  readonly issuer: FixtureCa
}

async function issue(dir: string, name: string, spec: IssueSpec, openssl: Openssl): Promise<FixtureCertificate> {
  const keyPath = join(dir, `${name}-key.pem`)
  const csrPath = join(dir, `${name}.csr`)
  const certPath = join(dir, `${name}.pem`)
  const extPath = join(dir, `${name}.ext`)
  await writeFile(extPath, `${spec.extensions}\n`)
  await openssl(['req', '-new', ...keyArgs(spec.keyType), '-nodes', '-keyout', keyPath, '-out', csrPath, '-subj', spec.subject])
  await openssl(['x509', '-req', '-in', csrPath, '-CA', spec.issuer.certPath, '-CAkey', spec.issuer.keyPath, '-set_serial', `0x${serial()}`,
    '-days', '30', '-sha256', '-extfile', extPath, '-out', certPath])
  return loaded(name, certPath, keyPath)
}

function serverCertificate(dir: string, name: string, opts: ServerCertificateOptions, ca: FixtureCa, openssl: Openssl): Promise<FixtureCertificate> {
  const dnsNames = opts.dnsNames ?? []
  const cn = opts.cn === undefined ? (dnsNames[0] ?? 'server') : opts.cn
  // NOTE: a subject must not be empty for `openssl req`; without CN it keeps an O.
  const subject = cn === null ? '/O=Octavia Test' : `/CN=${cn}`
  const extensions = ['extendedKeyUsage=serverAuth', ...(dnsNames.length > 0 ? [`subjectAltName=${dnsNames.map((n) => `DNS:${n}`).join(',')}`] : [])]
  return issue(dir, name, { subject, extensions: extensions.join('\n'), keyType: opts.keyType ?? 'rsa', issuer: opts.issuer ?? ca }, openssl)
}

async function makeCrl(ca: FixtureCa, revoked: readonly FixtureCertificate[], name: string, openssl: Openssl): Promise<{ pem: string; path: string }> {
  const config = join(ca.dir, 'ca.cnf')
  for (const cert of revoked) await openssl(['ca', '-config', config, '-revoke', cert.certPath])
  const path = join(ca.dir, `${name}.pem`)
  await openssl(['ca', '-config', config, '-gencrl', '-out', path])
  return Object.freeze({ pem: await readFile(path, 'utf8'), path })
}

async function makePkcs12(dir: string, cert: FixtureCertificate, opts: Pkcs12Options, name: string, openssl: Openssl): Promise<Buffer> {
  const path = join(dir, `${name}.p12`)
  const chainArgs: string[] = []
  if (opts.intermediates && opts.intermediates.length > 0) {
    const chainPath = join(dir, `${name}-chain.pem`)
    await writeFile(chainPath, opts.intermediates.map((c) => c.certPem).join(''))
    chainArgs.push('-certfile', chainPath)
  }
  await openssl(['pkcs12', '-export', ...(opts.legacy ? ['-legacy'] : []), '-in', cert.certPath, '-inkey', cert.keyPath, ...chainArgs, '-passout', 'pass:', '-out', path])
  return readFile(path)
}

/** A random positive 64-bit serial (hex), unique enough for one fixture directory. */
function serial(): string {
  return `1${[...crypto.getRandomValues(new Uint8Array(8))].map((b) => b.toString(16).padStart(2, '0')).join('')}`
}
