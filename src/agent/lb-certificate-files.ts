/**
 * The TLS files of one load balancer on this amphora (contract:
 * src/amphora-api/certificate-files.ts): stored atomically with mode 0600 in
 * a 0700 directory, and pruned once a start or reload succeeded. Their
 * content is never logged nor put in an error: messages name files only.
 */
import { chmod, mkdir, readdir, readFile, stat, utimes } from 'node:fs/promises'
import { join } from 'node:path'
import {
  CERTIFICATE_FILE_NAME, certificateFileName, type CertificateFile,
} from '../amphora-api/certificate-files.js'
import type { LoadBalancerPaths } from '../amphora-api/agent-paths.js'
import { writeAtomic } from '../pki/pem-files.js'
import { AgentHttpError } from './agent-http-error.js'
import { removeFile } from './lb-config-files.js'

/** Text made of PEM blocks only (certificates, keys, CRLs), separated by whitespace. */
const PEM_ONLY = /^(?:\s*-----BEGIN ([A-Z0-9 ]{1,40})-----\r?\n[A-Za-z0-9+/=\r\n]+-----END \1-----)+\s*$/

/** `<lb dir>/certs` */
export function certificateDirOf(p: LoadBalancerPaths): string {
  return join(p.dir, 'certs')
}

/**
 * Stores the files; one that exists already (same name, so same content)
 * only gets its modification time refreshed, which protects it from the
 * prune's grace period. Throws AgentHttpError 400 (nothing stored) when a
 * name is not the SHA-256 of its content or the content is not PEM.
 */
export async function storeCertificateFiles(p: LoadBalancerPaths, files: readonly CertificateFile[]): Promise<number> {
  files.forEach((f, i) => {
    if (!CERTIFICATE_FILE_NAME.test(f.name) || certificateFileName(f.pem) !== f.name) {
      throw new AgentHttpError(400, 'Invalid request', `files[${i}]: the name is not the sha-256 of the content`)
    }
    if (!PEM_ONLY.test(f.pem)) throw new AgentHttpError(400, 'Invalid request', `files[${i}]: the content is not PEM`)
  })
  const dir = certificateDirOf(p)
  await mkdir(dir, { recursive: true, mode: 0o700 })
  await chmod(p.dir, 0o700)
  await chmod(dir, 0o700)
  const now = new Date()
  for (const f of new Map(files.map((file) => [file.name, file])).values()) {
    const path = join(dir, f.name)
    const present = await stat(path).then((s) => s.isFile(), () => false)
    if (present) await utimes(path, now, now)
    else await writeAtomic(path, f.pem, 0o600)
  }
  return files.length
}

/**
 * Removes the files of `certs/` that neither the config in use nor the last
 * known good one names, unless written or refreshed less than `graceMs` ago:
 * a sync stores its files before it uploads the config that names them, and
 * a reload in between (a watchdog restart) must not remove them. Called after
 * a successful start or reload. Returns the names removed.
 */
export async function pruneCertificateFiles(p: LoadBalancerPaths, graceMs: number, now = Date.now()): Promise<string[]> {
  const dir = certificateDirOf(p)
  const entries = await readdir(dir).catch(() => [] as string[])
  if (entries.length === 0) return []
  const used = new Set<string>()
  for (const file of [p.config, p.lastKnownGood]) {
    const text = await readFile(file, 'utf8').catch(() => '')
    for (const m of text.matchAll(/[0-9a-f]{64}\.pem/g)) used.add(m[0])
  }
  const removed: string[] = []
  for (const name of entries) {
    if (used.has(name)) continue
    const path = join(dir, name)
    const mtime = await stat(path).then((s) => s.mtimeMs, () => null)
    if (mtime === null || now - mtime < graceMs) continue
    await removeFile(path)
    removed.push(name)
  }
  return removed
}
