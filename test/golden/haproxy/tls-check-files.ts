/**
 * TLS files for `haproxy -c` of rendered configurations: HAProxy opens every
 * `crt`, `ca-file` and `crl-file` while checking, so the check points each
 * of them at a real file of its kind. Made once per process with openssl
 * (EC keys, fast) in a temporary directory removed at exit: a CA, a
 * certificate with its key signed by it, and an empty CRL of that CA.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** Paths of the files, by the keyword that names them. */
export interface CheckFiles {
  readonly crt: string
  readonly 'ca-file': string
  readonly 'crl-file': string
}

let made: CheckFiles | null = null

/** The check files (created on first use). */
export function tlsCheckFiles(): CheckFiles {
  if (made !== null) return made
  const dir = mkdtempSync(join(tmpdir(), 'octavia-ts-golden-tls-'))
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }))
  const ssl = (...args: string[]): void => { execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' }) }
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes']
  ssl('req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-subj', '/CN=golden-ca', '-days', '3650')
  ssl('req', ...ec, '-keyout', 'leaf.key', '-out', 'leaf.csr', '-subj', '/CN=www.example.com')
  writeFileSync(join(dir, 'leaf.ext'), 'subjectAltName=DNS:www.example.com,DNS:*.example.org\n')
  ssl('x509', '-req', '-in', 'leaf.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-set_serial', '2', '-days', '3650',
    '-extfile', 'leaf.ext', '-out', 'leaf.pem')
  writeFileSync(join(dir, 'index.txt'), '')
  writeFileSync(join(dir, 'ca.cnf'), [
    '[ca]', 'default_ca = golden', '[golden]', `database = ${join(dir, 'index.txt')}`,
    `certificate = ${join(dir, 'ca.pem')}`, `private_key = ${join(dir, 'ca.key')}`,
    'default_md = sha256', 'default_crl_days = 3650', '',
  ].join('\n'))
  ssl('ca', '-config', 'ca.cnf', '-gencrl', '-out', 'crl.pem')
  const bundle = join(dir, 'bundle.pem')
  execFileSync('sh', ['-c', 'cat leaf.pem leaf.key > bundle.pem'], { cwd: dir })
  made = Object.freeze({ crt: bundle, 'ca-file': join(dir, 'ca.pem'), 'crl-file': join(dir, 'crl.pem') })
  return made
}

/**
 * The configuration with every path after `crt`, `ca-file` and `crl-file`
 * replaced by the check file of that kind (paths are single words without
 * escapes in the golden cases).
 */
export function withCheckFiles(config: string): string {
  if (!/ (?:crt|ca-file|crl-file) /.test(config)) return config
  const files = tlsCheckFiles()
  // HAProxy separates words by spaces and tabs only (not by other Unicode spaces).
  return config.replace(/ (crt|ca-file|crl-file) ([^ \t\n]+)/g, (_, keyword: keyof CheckFiles) => ` ${keyword} ${files[keyword]}`)
}
