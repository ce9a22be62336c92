import type { FastifyRequest } from 'fastify'
import type { Database } from '../../db/database.js'
import type { SecretBox } from '../../pki/secret-box.js'
import { KeyManagerHrefs } from './key-manager-hrefs.js'

/** What the key manager routes of one mount work with. */
export interface KeyManagerContext {
  readonly database: Database
  /** The store's cipher; its key is read on first use (throws a configuration Error then). */
  readonly box: () => SecretBox
  /** The prefix before `/v1` this copy of the routes is served under ('' or `/key-manager`). */
  readonly mount: string
}

export const hrefsOf = (ctx: KeyManagerContext, req: FastifyRequest): KeyManagerHrefs => new KeyManagerHrefs(req, ctx.mount)

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i

/** Barbican's validate_id_is_uuid. */
export const isUuid = (id: string): boolean => UUID.test(id)
