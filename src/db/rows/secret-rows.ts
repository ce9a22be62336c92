/**
 * Row types of the local secret store (migration 0004; see schema.ts for
 * the conventions every row type follows).
 */

/** A Barbican secret; `payload_sealed` is the encrypted payload (base64), null until one is stored. */
export interface SecretRow {
  id: string
  project_id: string
  creator_id: string | null
  name: string | null
  secret_type: string
  algorithm: string | null
  bit_length: number | null
  mode: string | null
  expiration: string | null
  payload_content_type: string | null
  payload_content_encoding: string | null
  payload_sealed: string | null
  status: string
  created_at: string
  updated_at: string
}

/** A Barbican container (`certificate`, `generic`, `rsa`). */
export interface SecretContainerRow {
  id: string
  project_id: string
  creator_id: string | null
  name: string | null
  type: string
  status: string
  created_at: string
  updated_at: string
}

/** One named reference of a container to a secret. */
export interface ContainerSecretRow {
  container_id: string
  name: string
  secret_id: string
}
