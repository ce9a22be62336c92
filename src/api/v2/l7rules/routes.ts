import type { FastifyInstance } from 'fastify'
import type { ApiDeps } from '../../deps.js'
import { createL7RuleHandler } from './create.js'
import { deleteL7RuleHandler } from './delete.js'
import { listL7RulesHandler, showL7RuleHandler } from './list.js'
import { l7RuleCreateBody, l7RuleUpdateBody } from './schema.js'
import { updateL7RuleHandler } from './update.js'

type PolicyParams = { Params: { l7policyId: string } }
type RuleParams = { Params: { l7policyId: string; l7ruleId: string } }

/** Routes of /v2/lbaas/l7policies/{l7policy_id}/rules (envelope `rule`, list `rules`/`rules_links`). */
export function registerL7rulesRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const base = '/v2/lbaas/l7policies/:l7policyId/rules'
  app.get<PolicyParams>(base, async req => listL7RulesHandler(deps, req, req.params.l7policyId))
  app.post<PolicyParams>(base, { schema: { body: l7RuleCreateBody } }, async (req, reply) => {
    const out = await createL7RuleHandler(deps, req, req.params.l7policyId)
    return reply.code(201).send(out)
  })
  app.get<RuleParams>(`${base}/:l7ruleId`,
    async req => showL7RuleHandler(deps, req, req.params.l7policyId, req.params.l7ruleId))
  app.put<RuleParams>(`${base}/:l7ruleId`, { schema: { body: l7RuleUpdateBody } },
    async req => updateL7RuleHandler(deps, req, req.params.l7policyId, req.params.l7ruleId))
  app.delete<RuleParams>(`${base}/:l7ruleId`, async (req, reply) => {
    await deleteL7RuleHandler(deps, req, req.params.l7policyId, req.params.l7ruleId)
    return reply.code(204).send()
  })
}
