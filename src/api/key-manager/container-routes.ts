import { randomUUID } from 'node:crypto'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { nowIso } from '../../common/time.js'
import { deleteContainer, findContainer, insertContainer, listContainers, type ContainerWithRefs } from '../../db/repositories/secret-container-repository.js'
import { findSecret } from '../../db/repositories/secret-repository.js'
import { baseUrlOf } from '../versions.js'
import { parseNewContainer } from './container-input.js'
import { jsonBody, requireContentType } from './key-manager-body.js'
import { hrefsOf, isUuid, type KeyManagerContext } from './key-manager-context.js'
import { KeyManagerError } from './key-manager-error.js'
import { enforceKeyManager } from './key-manager-policy.js'
import { renderContainer } from './key-manager-render.js'
import { listBody, pagingOf, type ListQuery } from './list-paging.js'

type IdReq = FastifyRequest<{ Params: { id: string } }>

/** `POST/GET /containers`, `GET/DELETE /containers/{id}` (relative to the mount's `/v1`). */
export function registerContainerRoutes(app: FastifyInstance, ctx: KeyManagerContext): void {
  app.post('/containers', async (req, reply) => createContainer(ctx, req, reply))
  app.get('/containers', async (req: FastifyRequest<{ Querystring: ListQuery }>) => {
    enforceKeyManager(req.caller, 'containers:get', 'Containers(s) retrieval')
    const str = (k: string) => { const v = req.query[k]; return (Array.isArray(v) ? v.at(-1) : v) || undefined }
    const paging = pagingOf(req.query)
    const page = await listContainers(ctx.database.db, req.caller.projectId, { name: str('name'), type: str('type') }, paging)
    const hrefs = hrefsOf(ctx, req)
    // NOTE: Barbican's container pages carry no other query parameters in their hrefs (its secret pages do).
    return listBody(hrefs, 'containers', page.rows.map(c => renderContainer(c, hrefs)), { ...paging, total: page.total }, '')
  })
  app.get('/containers/:id', async (req: IdReq) => {
    const found = await containerOf(ctx, req.params.id)
    enforceKeyManager(req.caller, 'container:get', 'Container retrieval', { projectId: found.container.project_id })
    return renderContainer(found, hrefsOf(ctx, req))
  })
  app.delete('/containers/:id', async (req: IdReq, reply) => {
    const found = await containerOf(ctx, req.params.id)
    enforceKeyManager(req.caller, 'container:delete', 'Container deletion', { projectId: found.container.project_id })
    await ctx.database.db.transaction().execute(tx => deleteContainer(tx, found.container.id))
    return reply.code(204).send()
  })
}

/** The container `id` of any project (rights are checked after, as Barbican does); 404 otherwise. */
async function containerOf(ctx: KeyManagerContext, id: string): Promise<ContainerWithRefs> {
  if (!isUuid(id)) throw new KeyManagerError(404, 'Not Found. Provided container id is invalid.')
  const found = await findContainer(ctx.database.db, id)
  if (!found) throw new KeyManagerError(404, 'Secrets container not found.')
  return found
}

async function createContainer(ctx: KeyManagerContext, req: FastifyRequest, reply: FastifyReply) {
  enforceKeyManager(req.caller, 'containers:post', 'Container creation')
  requireContentType(req, ['application/json'])
  const input = parseNewContainer(jsonBody(req), `${baseUrlOf(req)}${ctx.mount}`)
  const now = nowIso()
  for (const ref of input.refs) {
    const secret = isUuid(ref.secretId) ? await findSecret(ctx.database.db, ref.secretId, now) : undefined
    if (!secret || secret.project_id !== req.caller.projectId) {
      throw new KeyManagerError(404, `Secret provided for '${ref.name}' doesn't exist.`)
    }
  }
  const id = randomUUID()
  await ctx.database.db.transaction().execute(tx => insertContainer(tx, {
    id, project_id: req.caller.projectId, creator_id: req.caller.userId, name: input.name, type: input.type,
    status: 'ACTIVE', created_at: now, updated_at: now,
  }, input.refs.map(r => ({ container_id: id, name: r.name, secret_id: r.secretId }))))
  const ref = hrefsOf(ctx, req).container(id)
  return reply.code(201).header('location', ref).send({ container_ref: ref })
}
