import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'

/** AES-256-GCM: 32-byte key, 96-bit nonce (NIST SP 800-38D's recommended size), 128-bit tag. */
export const SECRET_KEY_BYTES = 32
const NONCE_BYTES = 12
const TAG_BYTES = 16

/** A sealed payload could not be opened: wrong key, wrong secret id, or altered bytes. Says nothing of the content. */
export class SecretBoxError extends Error {
  constructor(message: string, opts?: ErrorOptions) {
    super(message, opts)
    this.name = 'SecretBoxError'
  }
}

/**
 * Encryption at rest of the secret store's payloads. Each payload gets a
 * fresh random nonce and is authenticated together with its secret's id
 * (the additional data), so a sealed payload copied onto another secret's
 * row fails to open instead of answering for it. The sealed form is one
 * buffer, `nonce ‖ ciphertext ‖ tag`.
 */
export class SecretBox {
  readonly #key: Buffer

  /** Throws SecretBoxError unless `key` is 32 bytes. */
  constructor(key: Buffer) {
    if (key.length !== SECRET_KEY_BYTES) throw new SecretBoxError(`the secret store key must be ${SECRET_KEY_BYTES} bytes, not ${key.length}`)
    this.#key = Buffer.from(key)
  }

  /** `plaintext` encrypted for the secret `secretId`. */
  seal(plaintext: Buffer, secretId: string): Buffer {
    const nonce = randomBytes(NONCE_BYTES)
    const cipher = createCipheriv('aes-256-gcm', this.#key, nonce, { authTagLength: TAG_BYTES })
    cipher.setAAD(Buffer.from(secretId, 'utf8'))
    const body = Buffer.concat([cipher.update(plaintext), cipher.final()])
    return Buffer.concat([nonce, body, cipher.getAuthTag()])
  }

  /** The plaintext of `sealed`, which must have been sealed for `secretId` with this key; else throws SecretBoxError. */
  open(sealed: Buffer, secretId: string): Buffer {
    if (sealed.length < NONCE_BYTES + TAG_BYTES) throw new SecretBoxError('sealed payload too short')
    const nonce = sealed.subarray(0, NONCE_BYTES)
    const tag = sealed.subarray(sealed.length - TAG_BYTES)
    const decipher = createDecipheriv('aes-256-gcm', this.#key, nonce, { authTagLength: TAG_BYTES })
    decipher.setAAD(Buffer.from(secretId, 'utf8'))
    decipher.setAuthTag(tag)
    try {
      return Buffer.concat([decipher.update(sealed.subarray(NONCE_BYTES, sealed.length - TAG_BYTES)), decipher.final()])
    } catch (err) {
      throw new SecretBoxError('the sealed payload does not open with this key (wrong key, or altered data)', { cause: err })
    }
  }
}
