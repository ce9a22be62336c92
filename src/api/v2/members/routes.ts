import type { FastifyInstance, FastifyRequest } from 'fastify'
import { notFound } from '../../../common/errors.js'
import { findMember } from '../../../db/repositories/member-repository.js'
import { findPool } from '../../../db/repositories/pool-repository.js'
import { authorize, type PolicyAction } from '../../auth/authorize.js'
import type { ApiDeps } from '../../deps.js'
import { batchUpdateMembers } from './batch-update.js'
import { createMember } from './create.js'
import { deleteMember } from './delete.js'
import { listMembersOfPool, showMember } from './list.js'
import {
  memberCreateBody, memberUpdateBody, membersBatchBody,
  type MemberCreateBody, type MembersBatchBody, type MemberUpdateBody,
} from './schema.js'
import { updateMember } from './update.js'

interface PoolParams { pool_id: string }
interface MemberParams { pool_id: string; member_id: string }

const COLLECTION = '/v2/lbaas/pools/:pool_id/members'
const ITEM = `${COLLECTION}/:member_id`

/** oslo `bool_from_string`: true for 1/t/true/on/y/yes (any case), false otherwise. */
const boolFromString = (v: unknown): boolean =>
  ['1', 't', 'true', 'on', 'y', 'yes'].includes(String(Array.isArray(v) ? v[v.length - 1] : v ?? '').trim().toLowerCase())

/** preValidation: 404 `Pool <id> not found.` for an unknown pool, before the body is validated. */
function poolExistsHook(deps: ApiDeps): (req: FastifyRequest) => Promise<void> {
  return async req => {
    const { pool_id: poolId } = req.params as PoolParams
    if (!(await findPool(deps.database.db, poolId))) throw notFound('Pool', poolId)
  }
}

/**
 * preHandler: RBAC after body validation, as Octavia's controllers: on the
 * addressed member's project (404 first when it is unknown), else the pool's.
 */
function memberPolicyHook(deps: ApiDeps) {
  return (actions: (req: FastifyRequest) => readonly PolicyAction[]) => async (req: FastifyRequest): Promise<void> => {
    const { pool_id: poolId, member_id: memberId } = req.params as Partial<MemberParams>
    const member = memberId === undefined ? undefined : await findMember(deps.database.db, memberId)
    if (memberId !== undefined && !member) throw notFound('Member', memberId)
    const projectId = member ? member.project_id : (await findPool(deps.database.db, poolId!))?.project_id
    for (const action of actions(req)) authorize(req.caller, action, projectId)
  }
}

/**
 * Routes of `/v2/lbaas/pools/{pool_id}/members`. As in Octavia, the pool is
 * resolved while routing, before the body is validated: an unknown pool is a
 * 404 `Pool <id> not found.` whatever the request.
 */
export function registerMembersRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const poolExists = poolExistsHook(deps)
  const allow = memberPolicyHook(deps)

  app.get<{ Params: PoolParams }>(COLLECTION, { preValidation: poolExists, preHandler: allow(() => ['member:get_all']) },
    async req => listMembersOfPool(deps, req, req.params.pool_id))

  app.get<{ Params: MemberParams }>(ITEM, { preValidation: poolExists, preHandler: allow(() => ['member:get_one']) },
    async req => showMember(deps, req, req.params.pool_id, req.params.member_id))

  app.post<{ Params: PoolParams; Body: MemberCreateBody }>(COLLECTION,
    { preValidation: poolExists, preHandler: allow(() => ['member:post']), schema: { body: memberCreateBody } },
    async (req, reply) => reply.code(201).send(await createMember(deps, req.params.pool_id, req.body)))

  app.put<{ Params: PoolParams; Body: MembersBatchBody; Querystring: Record<string, unknown> }>(COLLECTION,
    {
      preValidation: poolExists, schema: { body: membersBatchBody },
      // NOTE: a batch creates, updates and (unless additive_only) deletes: all three rules apply.
      preHandler: allow(req => (boolFromString((req.query as Record<string, unknown>).additive_only)
        ? ['member:put', 'member:post'] : ['member:put', 'member:post', 'member:delete'])),
    },
    async (req, reply) => {
      await batchUpdateMembers(deps, req.params.pool_id, req.body, boolFromString(req.query.additive_only))
      return reply.code(202).send()
    })

  app.put<{ Params: MemberParams; Body: MemberUpdateBody }>(ITEM,
    { preValidation: poolExists, preHandler: allow(() => ['member:put']), schema: { body: memberUpdateBody } },
    async req => updateMember(deps, req.params.pool_id, req.params.member_id, req.body))

  app.delete<{ Params: MemberParams }>(ITEM, { preValidation: poolExists, preHandler: allow(() => ['member:delete']) },
    async (req, reply) => {
      await deleteMember(deps, req.params.pool_id, req.params.member_id)
      return reply.code(204).send()
    })
}
