import assert from 'node:assert/strict'
import type { Harness } from './api-harness.js'
import { settle } from './l7-fixtures.js'

/** The tags of the three objects of each kind: x0 [a, b], x1 [b, c], x2 none. */
export const TREE_TAGS: readonly (readonly string[])[] = [['a', 'b'], ['b', 'c'], []]

/** Names of the three objects of each kind, in creation order. */
export const TREE_NAMES = ['x0', 'x1', 'x2'] as const

/**
 * One tagged collection of the tree: where it is listed (`path` without a
 * version prefix, e.g. `loadbalancers` or `pools/<id>/members`), its envelope
 * key, and how an item is told apart (rules have no name: their value is `/x<i>`).
 */
export interface TreeCollection {
  readonly path: string
  readonly plural: string
  readonly label: (item: any) => string
}

/** Every tagged collection of a project, three objects each (see buildTaggedTree). */
export interface TaggedTree {
  readonly projectId: string
  readonly lbIds: readonly string[]
  /** Ids of the x0 object of each kind below the first load balancer. */
  readonly first: Readonly<Record<'listener' | 'pool' | 'member' | 'healthmonitor' | 'l7policy' | 'rule', string>>
  readonly collections: readonly TreeCollection[]
}

const byName = (item: any): string => item.name
const byValue = (item: any): string => String(item.value).slice(1)

/**
 * Creates, through the alias paths without `lbaas/` (`/v2.0/loadbalancers`,
 * `/v2/pools/{id}/members`, …), three load balancers and on the first one three
 * listeners, pools, members, health monitors, L7 policies and rules, named
 * x0…x2 and tagged with TREE_TAGS; each create waits until its load balancer
 * is ACTIVE again. Needs the noop network driver (any VIP subnet id).
 */
export async function buildTaggedTree(h: Harness, projectId: string): Promise<TaggedTree> {
  const post = async (path: string, key: string, body: Record<string, unknown>, lbId?: string): Promise<string> => {
    const r = await h.request('POST', path, { [key]: body })
    assert.equal(r.status, 201, `${path}: ${JSON.stringify(r.body)}`)
    const id = r.body[key].id as string
    await settle(h, lbId ?? id)
    return id
  }
  const each = async (make: (i: number) => Promise<string>): Promise<string[]> => {
    const ids: string[] = []
    for (const i of [0, 1, 2]) ids.push(await make(i))
    return ids
  }
  const tagged = (i: number) => ({ name: TREE_NAMES[i], tags: [...TREE_TAGS[i]] })
  const lbIds = await each(i => post('/v2.0/loadbalancers', 'loadbalancer',
    { ...tagged(i), project_id: projectId, vip_subnet_id: '11111111-2222-3333-4444-555555555555' }))
  const lb = lbIds[0]
  const listeners = await each(i => post('/v2.0/listeners', 'listener',
    { ...tagged(i), loadbalancer_id: lb, protocol: 'HTTP', protocol_port: 8000 + i }, lb))
  const pools = await each(i => post('/v2.0/pools', 'pool',
    { ...tagged(i), loadbalancer_id: lb, protocol: 'HTTP', lb_algorithm: 'ROUND_ROBIN' }, lb))
  const members = await each(i => post(`/v2/pools/${pools[0]}/members`, 'member',
    { ...tagged(i), address: `192.0.2.${10 + i}`, protocol_port: 80 }, lb))
  const monitors = await each(i => post('/v2.0/healthmonitors', 'healthmonitor',
    { ...tagged(i), pool_id: pools[i], type: 'HTTP', delay: 5, timeout: 3, max_retries: 2 }, lb))
  const policies = await each(i => post('/v2.0/l7policies', 'l7policy',
    { ...tagged(i), listener_id: listeners[0], action: 'REJECT' }, lb))
  const rules = await each(i => post(`/v2.0/l7policies/${policies[0]}/rules`, 'rule',
    { tags: [...TREE_TAGS[i]], type: 'PATH', compare_type: 'STARTS_WITH', value: `/x${i}` }, lb))
  return {
    projectId, lbIds,
    first: {
      listener: listeners[0], pool: pools[0], member: members[0], healthmonitor: monitors[0], l7policy: policies[0], rule: rules[0],
    },
    collections: [
      { path: 'loadbalancers', plural: 'loadbalancers', label: byName },
      { path: 'listeners', plural: 'listeners', label: byName },
      { path: 'pools', plural: 'pools', label: byName },
      { path: `pools/${pools[0]}/members`, plural: 'members', label: byName },
      { path: 'healthmonitors', plural: 'healthmonitors', label: byName },
      { path: 'l7policies', plural: 'l7policies', label: byName },
      { path: `l7policies/${policies[0]}/rules`, plural: 'rules', label: byValue },
    ],
  }
}
