/**
 * Where the TLS material of one load balancer lies on its amphora: the
 * renderer writes these paths into `crt`, `ca-file` and `crl-file` and never
 * sees the material itself. Built by the worker next to the render options
 * (amphora-tls-files.ts), after the files were stored on the agent.
 */
import { filePath } from './config-values.js'
import { RenderError } from './render-error.js'

export interface TlsFiles {
  /**
   * Certificate references (listener default and SNI certificates, pools'
   * client certificates) → absolute path of a PEM holding the leaf, its
   * intermediates and its private key.
   */
  readonly certificates: ReadonlyMap<string, string>
  /**
   * Secret references (client and member CA bundles, CRLs) → absolute path
   * of the secret's PEM payload.
   */
  readonly secrets: ReadonlyMap<string, string>
}

/** No TLS material: any reference in the view is then a RenderError. */
export const NO_TLS_FILES: TlsFiles = Object.freeze({ certificates: new Map(), secrets: new Map() })

/**
 * The file of certificate reference `ref` (`what` names the role in errors;
 * the reference is not echoed: it is user text). Throws RenderError when it
 * has no file or its path is not a plain absolute path.
 */
export function certificateFile(files: TlsFiles, ref: string, what: string): string {
  return fileOf(files.certificates, ref, what)
}

/** The file of secret reference `ref` (CA bundle or CRL); as certificateFile. */
export function secretFile(files: TlsFiles, ref: string, what: string): string {
  return fileOf(files.secrets, ref, what)
}

function fileOf(map: ReadonlyMap<string, string>, ref: string, what: string): string {
  const path = map.get(ref)
  if (path === undefined) throw new RenderError(`${what} has no file on the amphora`)
  return filePath(`${what} file`, path)
}
