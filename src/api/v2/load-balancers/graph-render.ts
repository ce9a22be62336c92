import type { Executor } from '../../../db/database.js'
import { graphRows } from '../../../db/repositories/load-balancer-repository.js'
import { tagsOf } from '../../../db/repositories/tag-repository.js'
import type { ApiDeps } from '../../deps.js'
import { renderHealthMonitor } from '../health-monitors/render.js'
import { renderL7Policies } from '../l7policies/render.js'
import { renderListenerRows } from '../listeners/render.js'
import { renderMember } from '../members/render.js'
import { renderPoolRows } from '../pools/render.js'
import type { GraphIds } from './graph-create.js'

const omit = (obj: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> =>
  Object.fromEntries(Object.entries(obj).filter(([k]) => !keys.includes(k)))

/**
 * The children of a single-call create as Octavia's full response shows
 * them: listeners (ListenerFullResponse: L7 policies with their full rules,
 * no `loadbalancers`) and pools (PoolFullResponse: full `members`, the
 * `healthmonitor` object when there is one, no `loadbalancers` nor
 * `healthmonitor_id`).
 */
export async function renderGraph(db: Executor, _deps: ApiDeps, ids: GraphIds): Promise<{ listeners: unknown[]; pools: unknown[] }> {
  const rows = await graphRows(db, ids.listenerIds, ids.poolIds)
  const listeners: unknown[] = []
  for (const view of await renderListenerRows(db, rows.listeners)) {
    const policies = await renderL7Policies(db, rows.l7policies.get(view.id) ?? [], { fullRules: true })
    listeners.push({ ...omit(view, ['loadbalancers']), l7policies: policies })
  }
  const memberRows = [...rows.members.values()].flat()
  const monitorRows = [...rows.healthMonitors.values()]
  const tags = await tagsOf(db, [...memberRows.map(m => m.id), ...monitorRows.map(h => h.id)])
  const pools = (await renderPoolRows(db, rows.pools)).map(view => {
    const hm = rows.healthMonitors.get(view.id)
    return {
      ...omit(view, ['loadbalancers', 'healthmonitor_id', 'members']),
      members: (rows.members.get(view.id) ?? []).map(m => renderMember(m, tags.get(m.id) ?? [])),
      ...(hm ? { healthmonitor: renderHealthMonitor(hm, tags.get(hm.id) ?? []) } : {}),
    }
  })
  return { listeners, pools }
}
