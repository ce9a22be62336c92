import { existsSync, linkSync, mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { dirname, join, resolve } from 'node:path'
import { SECRET_KEY_BYTES, SecretBox } from './secret-box.js'

/** Where the secret store's key comes from (`[certificates] secret_store_key`, `[DEFAULT] state_dir`). */
export interface SecretStoreKeySettings {
  /** Base64 of 32 bytes; empty: the key file. */
  readonly secretStoreKey: string
  readonly stateDir: string
}

/** The key file when no key is configured. */
export const secretStoreKeyPath = (stateDir: string): string => join(resolve(stateDir), 'secret-store.key')

/**
 * The 32-byte key of the secret store: the configured one, else the key
 * file (raw bytes), created with mode 0600 when missing. Throws an Error
 * naming the option or the file (never the key) for a configured key that
 * is not base64 of 32 bytes, a key file of another length, or a key file
 * that others than its owner may read or write.
 */
export function readSecretStoreKey(settings: SecretStoreKeySettings): Buffer {
  if (settings.secretStoreKey !== '') return configuredKey(settings.secretStoreKey)
  const path = secretStoreKeyPath(settings.stateDir)
  createKeyFileIfMissing(path)
  const mode = statSync(path).mode & 0o777
  if ((mode & 0o077) !== 0) {
    throw new Error(`secret store key file ${path} has mode ${mode.toString(8).padStart(4, '0')}: it must be readable by its owner only (chmod 600)`)
  }
  const key = readFileSync(path)
  if (key.length !== SECRET_KEY_BYTES) {
    throw new Error(`secret store key file ${path} holds ${key.length} bytes: it must hold exactly ${SECRET_KEY_BYTES} (AES-256)`)
  }
  return key
}

function configuredKey(text: string): Buffer {
  const trimmed = text.trim()
  const key = Buffer.from(trimmed, 'base64')
  // NOTE: Node's base64 decoder skips bad characters; re-encoding tells a real base64 string from a lucky one.
  if (key.length !== SECRET_KEY_BYTES || key.toString('base64').replace(/=+$/, '') !== trimmed.replace(/=+$/, '')) {
    throw new Error(`[certificates] secret_store_key must be the base64 of ${SECRET_KEY_BYTES} random bytes (e.g. openssl rand -base64 32)`)
  }
  return key
}

/**
 * Creates the key file with fresh random bytes unless it exists: written to
 * a private temporary file, then hard-linked into place, which fails when
 * the file exists; so two processes starting together never overwrite each
 * other's key and no one reads a half-written file.
 */
function createKeyFileIfMissing(path: string): void {
  if (existsSync(path)) return
  mkdirSync(dirname(path), { recursive: true })
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`
  writeFileSync(tmp, randomBytes(SECRET_KEY_BYTES), { mode: 0o600, flag: 'wx' })
  try {
    linkSync(tmp, path)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
  } finally {
    unlinkSync(tmp)
  }
}

/**
 * A SecretBox whose key is read on first use (so that a deployment that
 * never stores a secret never creates the key file). Configuration errors
 * surface on that first use, and again on every later one.
 */
export function lazySecretBox(settings: SecretStoreKeySettings): () => SecretBox {
  const frozen = Object.freeze({ ...settings })
  let box: SecretBox | null = null
  return () => (box ??= new SecretBox(readSecretStoreKey(frozen)))
}
