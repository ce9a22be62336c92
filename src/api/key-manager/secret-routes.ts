import { randomUUID } from 'node:crypto'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { nowIso } from '../../common/time.js'
import { deleteSecret, findSecret, insertSecret, listSecrets, setSecretPayload } from '../../db/repositories/secret-repository.js'
import type { SecretRow } from '../../db/schema.js'
import { jsonBody, requireContentType } from './key-manager-body.js'
import { hrefsOf, isUuid, type KeyManagerContext } from './key-manager-context.js'
import { KeyManagerError } from './key-manager-error.js'
import { enforceKeyManager } from './key-manager-policy.js'
import { renderSecret } from './key-manager-render.js'
import { listBody, otherParams, pagingOf, type ListQuery } from './list-paging.js'
import { parseNewSecret } from './secret-input.js'
import { answerType, MAX_SECRET_BYTES, normalizeContentType, payloadBytes } from './secret-payload.js'

type IdReq = FastifyRequest<{ Params: { id: string } }>

/** `POST/GET /secrets`, `GET/PUT/DELETE /secrets/{id}`, `GET /secrets/{id}/payload` (relative to the mount's `/v1`). */
export function registerSecretRoutes(app: FastifyInstance, ctx: KeyManagerContext): void {
  app.post('/secrets', async (req, reply) => createSecret(ctx, req, reply))
  app.get('/secrets', async (req: FastifyRequest<{ Querystring: ListQuery }>) => {
    enforceKeyManager(req.caller, 'secrets:get', 'Secret(s) retrieval')
    const q = req.query
    const paging = pagingOf(q)
    const str = (k: string) => { const v = q[k]; return (Array.isArray(v) ? v.at(-1) : v) || undefined }
    const bits = Number.parseInt(str('bits') ?? '0', 10)
    const page = await listSecrets(ctx.database.db, req.caller.projectId, {
      name: str('name'), algorithm: str('alg'), mode: str('mode'), secretType: str('secret_type'), bitLength: bits > 0 ? bits : undefined,
    }, paging, nowIso())
    const hrefs = hrefsOf(ctx, req)
    return listBody(hrefs, 'secrets', page.rows.map(r => renderSecret(r, hrefs)), { ...paging, total: page.total }, otherParams(q))
  })
  app.get('/secrets/:id', async (req: IdReq, reply) => {
    const secret = await secretOf(ctx, req.params.id)
    if (wantsJson(req.headers.accept)) {
      enforceKeyManager(req.caller, 'secret:get', 'Secret retrieval', { projectId: secret.project_id })
      return renderSecret(secret, hrefsOf(ctx, req))
    }
    // NOTE: Barbican's deprecated payload read: any Accept but JSON answers the payload, under the decrypt rule.
    enforceKeyManager(req.caller, 'secret:decrypt', 'Secret retrieval', { projectId: secret.project_id })
    return sendPayload(ctx, req, reply, secret, 'Secret retrieval')
  })
  app.get('/secrets/:id/payload', async (req: IdReq, reply) => {
    const secret = await secretOf(ctx, req.params.id)
    enforceKeyManager(req.caller, 'secret:decrypt', 'Secret payload retrieval', { projectId: secret.project_id })
    return sendPayload(ctx, req, reply, secret, 'Secret payload retrieval')
  })
  app.put('/secrets/:id', async (req: IdReq, reply) => putPayload(ctx, req, reply))
  app.delete('/secrets/:id', async (req: IdReq, reply) => {
    const secret = await secretOf(ctx, req.params.id)
    enforceKeyManager(req.caller, 'secret:delete', 'Secret deletion', { projectId: secret.project_id })
    await ctx.database.db.transaction().execute(tx => deleteSecret(tx, secret.id))
    return reply.code(204).send()
  })
}

/** Barbican's is_json_request_accept: no Accept, `application/json` or `*` + `/*` exactly. */
const wantsJson = (accept: string | undefined): boolean =>
  accept === undefined || accept === 'application/json' || accept === '*/*'

/** The secret `id` (any project's: the caller's rights are checked after, as Barbican does); 404 otherwise. */
export async function secretOf(ctx: KeyManagerContext, id: string): Promise<SecretRow> {
  if (!isUuid(id)) throw new KeyManagerError(404, 'Not Found. Provided secret id is invalid.')
  const secret = await findSecret(ctx.database.db, id, nowIso())
  if (!secret) throw new KeyManagerError(404, 'Secret not found.')
  return secret
}

async function createSecret(ctx: KeyManagerContext, req: FastifyRequest, reply: FastifyReply) {
  enforceKeyManager(req.caller, 'secrets:post', 'Secret creation')
  requireContentType(req, ['application/json'])
  const input = parseNewSecret(jsonBody(req))
  const id = randomUUID()
  const now = nowIso()
  let sealed: Pick<SecretRow, 'payload_sealed' | 'payload_content_type' | 'payload_content_encoding'> =
    { payload_sealed: null, payload_content_type: null, payload_content_encoding: null }
  if (input.payload !== null) {
    const type = normalizeContentType(input.contentType ?? 'application/octet-stream', 'Secret creation')
    const bytes = payloadBytes(input.payload, type, input.contentEncoding, 'Secret creation', true)
    sealed = { payload_sealed: ctx.box().seal(bytes, id).toString('base64'), payload_content_type: type, payload_content_encoding: input.contentEncoding }
  }
  await insertSecret(ctx.database.db, {
    id, project_id: req.caller.projectId, creator_id: req.caller.userId, name: input.name, secret_type: input.secretType,
    algorithm: input.algorithm, bit_length: input.bitLength, mode: input.mode,
    expiration: input.expiration === null ? null : new Date(input.expiration).toISOString().slice(0, 23),
    ...sealed, status: 'ACTIVE', created_at: now, updated_at: now,
  })
  const ref = hrefsOf(ctx, req).secret(id)
  return reply.code(201).header('location', ref).send({ secret_ref: ref })
}

async function sendPayload(ctx: KeyManagerContext, req: FastifyRequest, reply: FastifyReply, secret: SecretRow, operation: string) {
  if (secret.payload_sealed === null || secret.payload_content_type === null) {
    throw new KeyManagerError(404, 'Not Found. Sorry but your secret has no payload.')
  }
  const bytes = ctx.box().open(Buffer.from(secret.payload_sealed, 'base64'), secret.id)
  const type = answerType(req.headers.accept, secret.payload_content_type, bytes, operation)
  return reply.code(200).type(type === 'text/plain' ? 'text/plain; charset=UTF-8' : type).send(bytes)
}

/** The second step of a two-step store: the raw payload of a secret created without one (204). */
async function putPayload(ctx: KeyManagerContext, req: IdReq, reply: FastifyReply) {
  const secret = await secretOf(ctx, req.params.id)
  enforceKeyManager(req.caller, 'secret:put', 'Secret update', { projectId: secret.project_id })
  requireContentType(req, ['application/octet-stream', 'text/plain'])
  const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0)
  if (raw.length === 0) throw new KeyManagerError(400, 'Secret update issue seen - No data supplied to process..')
  if (raw.length > MAX_SECRET_BYTES) throw new KeyManagerError(413, 'Secret update issue seen - Provided information too large to process.')
  if (secret.payload_sealed !== null) throw new KeyManagerError(409, 'Secret already has data, cannot modify it.')
  const type = normalizeContentType(String(req.headers['content-type']), 'Secret update')
  const encoding = (req.headers['content-encoding'] as string | undefined) ?? null
  const bytes = payloadBytes(raw, type, encoding, 'Secret update', false)
  const stored = await setSecretPayload(ctx.database.db, secret.id, {
    payload_sealed: ctx.box().seal(bytes, secret.id).toString('base64'), payload_content_type: type,
    payload_content_encoding: encoding, updated_at: nowIso(),
  })
  if (!stored) throw new KeyManagerError(409, 'Secret already has data, cannot modify it.')
  return reply.code(204).send()
}

