import { idOfRef } from './key-manager-hrefs.js'
import { KeyManagerError } from './key-manager-error.js'
import { checkSchema, invalidObject } from './secret-input.js'

/** Barbican's container types. */
export const CONTAINER_TYPES = ['generic', 'rsa', 'certificate'] as const

/** A validated `POST /v1/containers` body: the secrets by reference name. */
export interface NewContainer {
  readonly name: string | null
  readonly type: string
  readonly refs: readonly { readonly name: string; readonly secretId: string }[]
}

/** The names each typed container allows, and those it needs (Barbican's ContainerValidator). */
const NAMES: Readonly<Record<string, { allowed: readonly string[]; required: readonly string[]; message: [string, string] }>> = {
  certificate: {
    allowed: ['certificate', 'private_key', 'private_key_passphrase', 'intermediates'], required: ['certificate'],
    message: [
      "only 'private_key', 'certificate' , 'private_key_passphrase',  or 'intermediates' reference names are allowed for Certificate type",
      "The minimum required reference name is 'certificate' for Certificate type",
    ],
  },
  rsa: {
    allowed: ['public_key', 'private_key', 'private_key_passphrase'], required: ['public_key', 'private_key'],
    message: [
      "only 'private_key', 'public_key' and 'private_key_passphrase' reference names are allowed for RSA type",
      "The minimum required reference names are 'public_key' and'private_key' for RSA type",
    ],
  },
}

/**
 * Validates a container body. `refBase` is what every `secret_ref` must
 * start with (Barbican refuses references to another host: "no spoofing").
 */
export function parseNewContainer(body: unknown, refBase: string): NewContainer {
  const obj = checkSchema('Container', {
    name: v => (v === null || (typeof v === 'string' && v.length <= 255) ? null : `'${String(v)}' is not valid`),
    type: v => (typeof v === 'string' && (CONTAINER_TYPES as readonly string[]).includes(v) ? null : `'${String(v)}' is not one of ['generic', 'rsa', 'certificate']`),
    secret_refs: v => (Array.isArray(v) && v.every(isRefObject) ? null : 'secret_refs is not a list of {name, secret_ref}'),
  }, body)
  if (!('type' in obj)) throw invalidObject('Container', "'type' is a required property", 'type')
  const raw = (obj.secret_refs ?? []) as { name?: string | null; secret_ref: string }[]
  const refs = raw.map(r => ({ name: r.name ?? '', secretId: idOfRef(r.secret_ref), ref: r.secret_ref }))
  if (new Set(refs.map(r => r.name)).size !== refs.length) throw invalidObject('Container', 'Duplicate reference names are not allowed', 'secret_refs')
  if (new Set(refs.map(r => r.secretId)).size !== refs.length) throw invalidObject('Container', 'Duplicate secret ids are not allowed', 'secret_refs')
  if (refs.some(r => !r.ref.startsWith(refBase))) throw new KeyManagerError(400, 'Provided field value is not supported')
  const rules = NAMES[obj.type as string]
  if (rules) {
    const names = refs.map(r => r.name)
    if (names.some(n => !rules.allowed.includes(n))) throw invalidObject('Container', rules.message[0], 'secret_refs')
    if (!rules.required.every(n => names.includes(n))) throw invalidObject('Container', rules.message[1], 'secret_refs')
  }
  return { name: typeof obj.name === 'string' ? obj.name : null, type: obj.type as string, refs: refs.map(({ name, secretId }) => ({ name, secretId })) }
}

function isRefObject(v: unknown): boolean {
  if (typeof v !== 'object' || v === null) return false
  const r = v as Record<string, unknown>
  const nameOk = r.name === undefined || r.name === null || (typeof r.name === 'string' && r.name.length <= 255)
  return nameOk && typeof r.secret_ref === 'string' && r.secret_ref.length >= 1
}
