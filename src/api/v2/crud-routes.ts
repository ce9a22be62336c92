import type { TSchema } from '@sinclair/typebox'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { Caller } from '../auth/caller.js'
import type { ApiDeps } from '../deps.js'
import type { Query } from '../list/list-params.js'

/**
 * One top-level v2 resource as its five routes see it. Bodies reach the
 * handlers whole (`{<resource>: {...}}`) once `createBody` / `updateBody`
 * validated them; each handler authorizes the caller itself.
 */
export interface CrudResource<C, U> {
  /** The collection, e.g. `/v2/lbaas/pools`; one object is `<path>/:<key>`. */
  readonly path: string
  /** The path parameter naming one object (default `id`). */
  readonly key?: string
  readonly createBody: TSchema
  readonly updateBody: TSchema
  /** `GET <path>`: the list envelope. */
  list(deps: ApiDeps, req: FastifyRequest): Promise<unknown>
  /** `GET <path>/:key`: the object's envelope (honours `fields=`). */
  show(deps: ApiDeps, req: FastifyRequest, key: string): Promise<unknown>
  /** `POST <path>`: the new object's envelope, answered 201. */
  create(deps: ApiDeps, caller: Caller, body: C): Promise<unknown>
  /** `PUT <path>/:key`: the updated object's envelope. */
  update(deps: ApiDeps, caller: Caller, key: string, body: U): Promise<unknown>
  /** `DELETE <path>/:key`, answered 204; `query` is the request's query string. */
  remove(deps: ApiDeps, caller: Caller, key: string, query: Query): Promise<void>
}

/** Registers list, show, create (201), update and delete (204) of `r`. */
export function registerCrudRoutes<C, U>(app: FastifyInstance, deps: ApiDeps, r: CrudResource<C, U>): void {
  const key = r.key ?? 'id'
  const item = `${r.path}/:${key}`
  type Item = { Params: Record<string, string> }
  app.get(r.path, async req => r.list(deps, req))
  app.get<Item>(item, async req => r.show(deps, req, req.params[key]))
  // NOTE: the body schemas validated what the casts assert.
  app.post(r.path, { schema: { body: r.createBody } },
    async (req, reply) => reply.code(201).send(await r.create(deps, req.caller, req.body as C)))
  app.put<Item>(item, { schema: { body: r.updateBody } },
    async req => r.update(deps, req.caller, req.params[key], req.body as U))
  app.delete<Item>(item, async (req, reply) => {
    await r.remove(deps, req.caller, req.params[key], req.query as Query)
    return reply.code(204).send()
  })
}
