import { resolve } from 'node:path'
import type { FastifyInstance } from 'fastify'
import type { Config } from '../../common/config/schema.js'
import { octaviaDefaultRules } from '../policy/default-rules.js'
import { PolicyEnforcer } from '../policy/policy-enforcer.js'
import { readPolicyFile } from '../policy/policy-file.js'
import { bindPolicy } from './authorize.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** The API's policy enforcer (Octavia's defaults, `[oslo_policy]` applied). */
    policy: PolicyEnforcer
  }
}

/**
 * Octavia's defaults overridden by `[oslo_policy] policy_file` (relative
 * paths are taken from the working directory). Throws PolicyRuleError —
 * naming the file and the rule — for a file that cannot be read or parsed
 * or a rule that is not a valid expression: the service does not start.
 */
export function createPolicyEnforcer(settings: Config['oslo_policy']): PolicyEnforcer {
  const file = settings.policy_file ? resolve(settings.policy_file) : ''
  return new PolicyEnforcer(octaviaDefaultRules(), {
    overrides: file ? readPolicyFile(file) : {},
    enforceNewDefaults: settings.enforce_new_defaults,
    enforceScope: settings.enforce_scope,
    source: file || undefined,
  })
}

/**
 * Builds the enforcer (throwing at start-up for a bad policy) and binds each
 * request's caller to it before its handler runs, so that handlers can call
 * `authorize(caller, …)`. Register after the hook that sets `req.caller`.
 */
export function installPolicy(app: FastifyInstance, settings: Config['oslo_policy']): PolicyEnforcer {
  const enforcer = createPolicyEnforcer(settings)
  app.decorate('policy', enforcer)
  app.addHook('preHandler', async req => {
    if (req.caller) bindPolicy(req.caller, enforcer)
  })
  return enforcer
}
