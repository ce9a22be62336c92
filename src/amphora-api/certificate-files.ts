/**
 * The TLS files of a load balancer on its amphora (the contract of
 * `PUT /amphorae/{amp}/1.0/loadbalancer/{lb}/certificates`): PEM files in
 * `<base>/<amphora_id>/<lb_id>/certs/`, each named by the SHA-256 of its
 * content (`<64 hex>.pem`).
 *
 * Why content-addressed names: a file is never rewritten with other bytes,
 * so a configuration always finds the material it was checked with. After
 * a certificate changes, the new configuration names new files while the
 * last known good one still names the old files, which stay until a start
 * or reload succeeded without them; a failed reload falls back to a
 * configuration whose files are all there. Storing is idempotent, and the
 * controller knows every path before it renders (no answer to wait for).
 */
import { Type } from '@sinclair/typebox'
import { createHash } from 'node:crypto'
import { join } from 'node:path'
import { loadBalancerPaths } from './agent-paths.js'

/** One file: its name (certificateFileName of `pem`) and PEM text (certificate, intermediates and key; a CA bundle; a CRL). */
export interface CertificateFile {
  readonly name: string
  readonly pem: string
}

/** Body of the upload. */
export interface CertificateFilesUpload {
  readonly files: readonly CertificateFile[]
}

/** A stored file's name. */
export const CERTIFICATE_FILE_NAME = /^[0-9a-f]{64}\.pem$/

/** Largest file accepted (a long chain with its key fits many times). */
export const MAX_CERTIFICATE_FILE_BYTES = 512 * 1024
/** Most files in one upload (default + SNI certificates of every listener, pools' files). */
export const MAX_CERTIFICATE_FILES = 512

/** The name of the file holding `pem`. */
export function certificateFileName(pem: string): string {
  return `${createHash('sha256').update(pem, 'utf8').digest('hex')}.pem`
}

/** `<base>/<amphora_id>/<lb_id>/certs`. Throws on an unsafe id. */
export function certificateDir(base: string, amphoraId: string, lbId: string): string {
  return join(loadBalancerPaths(base, amphoraId, lbId).dir, 'certs')
}

/** The absolute path of file `name` of load balancer `lbId` on amphora `amphoraId` (what the renderer writes). */
export function certificateFilePath(base: string, amphoraId: string, lbId: string, name: string): string {
  if (!CERTIFICATE_FILE_NAME.test(name)) throw new Error('not a certificate file name')
  return join(certificateDir(base, amphoraId, lbId), name)
}

/** Schema of CertificateFilesUpload (the agent validates bodies with it; its messages never echo values). */
export const certificateFilesSchema = Type.Object({
  files: Type.Array(Type.Object({
    name: Type.String({ pattern: CERTIFICATE_FILE_NAME.source }),
    pem: Type.String({ minLength: 1, maxLength: MAX_CERTIFICATE_FILE_BYTES }),
  }, { additionalProperties: false }), { maxItems: MAX_CERTIFICATE_FILES }),
}, { additionalProperties: false })
