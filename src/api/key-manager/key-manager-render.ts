import type { ContainerWithRefs } from '../../db/repositories/secret-container-repository.js'
import type { SecretRow } from '../../db/schema.js'
import type { KeyManagerHrefs } from './key-manager-hrefs.js'

/** A stored time as Barbican renders it (Python's isoformat of a naive UTC datetime: microseconds, no zone). */
export const barbicanTime = (stored: string | null): string | null =>
  stored === null ? null : stored.length === 23 ? `${stored}000` : stored

/**
 * A secret's metadata as Barbican's API version 1.0 answers it (no
 * `consumers`): never anything of the payload but its media type
 * (`content_types`, present once a payload is stored).
 */
export function renderSecret(row: SecretRow, hrefs: KeyManagerHrefs): Record<string, unknown> {
  const body: Record<string, unknown> = {
    created: barbicanTime(row.created_at), updated: barbicanTime(row.updated_at), status: row.status,
    secret_ref: hrefs.secret(row.id), name: row.name, secret_type: row.secret_type,
    expiration: barbicanTime(row.expiration), algorithm: row.algorithm, bit_length: row.bit_length,
    mode: row.mode, creator_id: row.creator_id,
  }
  if (row.payload_sealed !== null && row.payload_content_type !== null) body.content_types = { default: row.payload_content_type }
  return body
}

/** A container as Barbican answers it: its named secret references as hrefs, no consumers here. */
export function renderContainer({ container, refs }: ContainerWithRefs, hrefs: KeyManagerHrefs): Record<string, unknown> {
  return {
    created: barbicanTime(container.created_at), updated: barbicanTime(container.updated_at), status: container.status,
    container_ref: hrefs.container(container.id), name: container.name, type: container.type,
    creator_id: container.creator_id,
    secret_refs: refs.map(r => ({ secret_ref: hrefs.secret(r.secret_id), name: r.name })),
    consumers: [],
  }
}
