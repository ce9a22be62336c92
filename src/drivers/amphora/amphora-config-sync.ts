import type { Kysely } from 'kysely'
import { renderHaproxyConfig } from './haproxy/render-haproxy-config.js'
import { planListeners } from './haproxy/render-plan.js'
import { TerminalError } from '../../common/errors.js'
import type { Logger } from '../../common/logging.js'
import type { AmphoraRow, DB } from '../../db/schema.js'
import type { LoadBalancerView } from '../../model/load-balancer-view.js'
import { AgentRequestError } from './rest/agent-client-errors.js'
import type { AgentEndpoint } from './amphora-driver.js'
import type { AmphoraFlowDeps } from '../amphora-flow-deps.js'
import { runtimeChanges } from './haproxy/runtime-changes.js'
import { readTlsMaterial, tlsFilesOn, type TlsMaterial } from './tls-material.js'

/** What applying a load balancer to one amphora did. */
export type SyncOutcome = 'removed' | 'runtime' | 'reloaded'

/** What a sync needs from its task. */
export interface SyncContext {
  readonly db: Kysely<DB>
  readonly log: Logger
  readonly signal: AbortSignal
}

/** The agent endpoint of an amphora: its `lb_network_ip`, else the configured agent. */
export function endpointOf(d: AmphoraFlowDeps, amphora: Pick<AmphoraRow, 'lb_network_ip'>): AgentEndpoint {
  return { host: amphora.lb_network_ip ?? d.agentEndpoint.host, port: d.agentEndpoint.port }
}

/**
 * Makes the HAProxy of load balancer `view` on `amphora` run the
 * configuration rendered from `view` (R11):
 *
 * - nothing to serve (no enabled listener, or the load balancer disabled):
 *   the HAProxy is stopped and its files removed (as Octavia, which runs no
 *   HAProxy for a load balancer without listeners);
 * - only members added, removed, or their weights / admin states differ
 *   from the config in use (runtimeChanges): the changes go through
 *   HAProxy's runtime API first, then the file is stored as the config in
 *   use without `haproxy -c` nor a reload (a failure there falls back to
 *   the reload path below);
 * - otherwise: upload (the agent checks it with `haproxy -c`) and a hitless
 *   reload (which starts a stopped HAProxy). An unchanged config is reloaded
 *   too: a re-run of a task that uploaded but crashed before reloading must
 *   still apply it.
 *
 * TLS: the references the configuration uses are read as the service
 * (`material`, read here unless the caller read it once for every amphora),
 * stored on the agent as content-addressed files before the configuration
 * that names them (uploadCertificates; idempotent, so on every path), and
 * rendered by path. A new certificate means new file names, hence a new
 * configuration and a hitless reload.
 *
 * Throws TerminalError when a TLS reference cannot be read or used, the
 * config cannot be rendered or is refused by `haproxy -c`; other errors (a
 * failed reload, after which the agent keeps the last known good config and
 * its files; an unreachable agent) may be retried.
 */
export async function syncAmphora(
  d: AmphoraFlowDeps, ctx: SyncContext, view: LoadBalancerView, amphora: AmphoraRow, material?: TlsMaterial,
): Promise<SyncOutcome> {
  const ep = endpointOf(d, amphora)
  const o = { signal: ctx.signal }
  if (planListeners(view).length === 0) {
    await d.agent.deleteLoadBalancer(ep, amphora.id, view.id, o)
    return 'removed'
  }
  const tls = tlsFilesOn(material ?? await readTlsMaterial(d.certificates, view, ctx.signal),
    (name) => d.certificateFilePath(amphora.id, view.id, name))
  const text = renderHaproxyConfig(view, d.renderOptions(amphora.id, view.id), tls.files)
  if (tls.uploads.length > 0) await agentCall(() => d.agent.uploadCertificates(ep, amphora.id, view.id, tls.uploads, o))
  const current = await currentConfig(d, ep, amphora.id, view.id, ctx.signal)
  const changes = current === null ? null : runtimeChanges(current, text)
  if (changes !== null && changes.length > 0) {
    try {
      await d.agent.updateServers(ep, amphora.id, view.id, changes, o)
      await agentCall(() => d.agent.uploadConfig(ep, amphora.id, view.id, text, { ...o, appliedAtRuntime: true }))
      return 'runtime'
    } catch (err) {
      if (err instanceof TerminalError) throw err
      ctx.log.warn({ err, amphoraId: amphora.id }, 'runtime change failed; reloading instead')
    }
  }
  await agentCall(() => d.agent.uploadConfig(ep, amphora.id, view.id, text, o))
  await agentCall(() => d.agent.action(ep, amphora.id, view.id, 'reload', o))
  return 'reloaded'
}

/** The config the agent uses now, or null when it has none. */
async function currentConfig(d: AmphoraFlowDeps, ep: AgentEndpoint, amphoraId: string, lbId: string, signal: AbortSignal): Promise<string | null> {
  try {
    return await d.agent.getConfig(ep, amphoraId, lbId, { signal })
  } catch (err) {
    if (err instanceof AgentRequestError && err.agentStatus === 404) return null
    throw err
  }
}

/**
 * A configuration `haproxy -c` refused (400) becomes TerminalError: retrying
 * cannot change it. A failed reload (500: the agent put the last known good
 * configuration back) stays retryable: the next attempt uploads and reloads
 * again, and a real failure fails the same way each time.
 */
async function agentCall<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn()
  } catch (err) {
    if (err instanceof AgentRequestError && (err.agentStatus === 400 || err.agentStatus === 500)) {
      const details = err.details ? `: ${err.details}` : ''
      const message = `amphora agent refused the configuration (${err.agentStatus} ${err.message})${details}`
      if (err.agentStatus === 400) throw new TerminalError(message, { cause: err })
      throw new Error(message, { cause: err })
    }
    throw err
  }
}
