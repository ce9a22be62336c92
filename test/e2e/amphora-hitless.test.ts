import assert from 'node:assert/strict'
import { Agent } from 'node:http'
import { after, before, describe, it } from 'node:test'
import { loadBalancerPaths } from '../../src/amphora-api/agent-paths.js'
import { showProc } from '../../src/agent/haproxy/master-cli.js'
import { httpGet, startHttpBackend, waitServing, type Backend } from './support/amphora-backends.js'
import { startAmphoraStack, type AmphoraStack, type StackMode } from './support/amphora-stack.js'
import { taskResult } from './support/job-results.js'

// Changes on a live load balancer while keep-alive clients send requests
// back to back: member weight and admin state go through HAProxy's runtime
// API (no reload), and so do member add/delete; a new listener reloads
// hitlessly.
// Not one request may fail.

const isRoot = process.geteuid?.() === 0
/** HTTP listener port: 80 as root; unprivileged HAProxies cannot bind below 1024. */
const HTTP_PORT = isRoot ? 80 : 10080
const modes: StackMode[] = (process.env.OCTAVIA_E2E_MODES?.split(',') as StackMode[] | undefined) ?? (isRoot ? ['netns', 'loopback'] : ['loopback'])

/** Keep-alive clients sending requests back to back until stopped. */
function keepAliveLoad(host: string, port: number, clients: number) {
  let stop = false
  const failures: string[] = []
  const answered = new Map<string, number>()
  let total = 0
  const agents = Array.from({ length: clients }, () => new Agent({ keepAlive: true, maxSockets: 1 }))
  const loops = agents.map(async agent => {
    while (!stop) {
      try {
        const res = await httpGet(host, port, '/', agent)
        total += 1
        if (res.status !== 200) failures.push(`status ${res.status}`)
        else answered.set(res.body, (answered.get(res.body) ?? 0) + 1)
      } catch (err) {
        failures.push((err as Error).message)
      }
    }
  })
  return {
    answered, failures,
    get total() { return total },
    /** Requests answered by `name` from now on (a counter reset). */
    reset: () => answered.clear(),
    stop: async () => {
      stop = true
      await Promise.all(loops)
      for (const a of agents) a.destroy()
    },
  }
}

for (const mode of modes) {
  describe(`amphora provider, live changes under keep-alive load, ${mode} mode`, () => {
    let stack: AmphoraStack
    const backends: Backend[] = []
    let lbId = ''
    let vip = ''
    let poolId = ''
    const memberIds: string[] = []
    let load: ReturnType<typeof keepAliveLoad>

    const lbActive = () => stack.waitStatus(`/v2/lbaas/loadbalancers/${lbId}`, 'ACTIVE', 20000)
    const addMember = async (b: Backend): Promise<string> => {
      const r = await stack.request('POST', `/v2/lbaas/pools/${poolId}/members`, { member: { address: b.host, protocol_port: b.port, name: b.name } })
      assert.equal(r.status, 201, JSON.stringify(r.body))
      await lbActive()
      return r.body.member.id
    }

    before(async () => {
      stack = await startAmphoraStack({ mode })
      for (const name of ['k1', 'k2', 'k3']) backends.push(await startHttpBackend(name, stack.backendHost))
      const r = await stack.request('POST', '/v2/lbaas/loadbalancers', {
        loadbalancer: { vip_subnet_id: stack.subnetId, listeners: [{ protocol: 'HTTP', protocol_port: HTTP_PORT, default_pool: { name: 'p', protocol: 'HTTP', lb_algorithm: 'ROUND_ROBIN' } }] },
      })
      assert.equal(r.status, 201, JSON.stringify(r.body))
      lbId = r.body.loadbalancer.id
      vip = r.body.loadbalancer.vip_address
      await lbActive()
      poolId = (await stack.request('GET', `/v2/lbaas/pools?loadbalancer_id=${lbId}`)).body.pools[0].id
      for (const b of backends.slice(0, 2)) memberIds.push(await addMember(b))
      await waitServing(vip, HTTP_PORT)
      load = keepAliveLoad(vip, HTTP_PORT, 4)
    })
    after(async () => {
      await load?.stop()
      if (lbId) {
        await stack.request('DELETE', `/v2/lbaas/loadbalancers/${lbId}?cascade=true`)
        await stack.waitUntil(`/v2/lbaas/loadbalancers/${lbId}`, b => b?.loadbalancer === undefined).catch(() => undefined)
      }
      for (const b of backends) await b.close()
      await stack?.close()
    })

    it('when a member is drained (weight 0), then it gets no new requests and HAProxy is not reloaded', async () => {
      const r = await stack.request('PUT', `/v2/lbaas/members/${memberIds[0]}`.replace('/members/', `/pools/${poolId}/members/`), { member: { weight: 0 } })
      assert.equal(r.status, 200, JSON.stringify(r.body))
      await lbActive()
      assert.deepEqual(Object.values(await taskResult(stack, 'member_update', 'update-amphora-configs') as object), ['runtime'])
      load.reset()
      await new Promise(res => setTimeout(res, 300))
      assert.equal(load.answered.get('k1') ?? 0, 0, `drained member still answered: ${JSON.stringify([...load.answered])}`)
      assert.ok((load.answered.get('k2') ?? 0) > 0)
    })

    it('when a member is disabled and enabled again, then it goes OFFLINE, comes back, and HAProxy is not reloaded', async () => {
      const url = `/v2/lbaas/pools/${poolId}/members/${memberIds[0]}`
      await stack.request('PUT', url, { member: { weight: 1, admin_state_up: false } })
      await lbActive()
      assert.equal((await stack.request('GET', url)).body.member.operating_status, 'OFFLINE')
      await stack.request('PUT', url, { member: { admin_state_up: true } })
      await lbActive()
      assert.deepEqual(Object.values(await taskResult(stack, 'member_update', 'update-amphora-configs') as object), ['runtime'])
      load.reset()
      await stack.waitUntil(url, () => (load.answered.get('k1') ?? 0) > 0, 5000)
    })

    it('when a member is added and another deleted, then the runtime API applies both, the HAProxy worker stays and the pool follows', async () => {
      const amp = await stack.database.db.selectFrom('amphora').select('id').where('load_balancer_id', '=', lbId).executeTakeFirstOrThrow()
      const workers = async () => (await showProc(loadBalancerPaths(stack.agentBase, amp.id, lbId).masterSocket)).workers
      const before = await workers()
      memberIds.push(await addMember(backends[2]))
      assert.deepEqual(Object.values(await taskResult(stack, 'member_create', 'update-amphora-configs') as object), ['runtime'])
      const del = await stack.request('DELETE', `/v2/lbaas/pools/${poolId}/members/${memberIds[1]}`)
      assert.equal(del.status, 204)
      await lbActive()
      assert.deepEqual(Object.values(await taskResult(stack, 'member_delete', 'update-amphora-configs') as object), ['runtime'])
      assert.deepEqual(await workers(), before, 'same worker: no reload')
      load.reset()
      await new Promise(res => setTimeout(res, 500))
      assert.ok((load.answered.get('k3') ?? 0) > 0, 'the new member answers')
      assert.equal(load.answered.get('k2') ?? 0, 0, 'the deleted member does not')
    })

    it('when a listener is added on the live load balancer, then it serves at once', async () => {
      const r = await stack.request('POST', '/v2/lbaas/listeners', { listener: { loadbalancer_id: lbId, protocol: 'HTTP', protocol_port: 8080, default_pool_id: poolId } })
      assert.equal(r.status, 201, JSON.stringify(r.body))
      await lbActive()
      assert.equal((await httpGet(vip, 8080)).status, 200)
    })

    it('when all that happened under load, then not one keep-alive request failed', async () => {
      await load.stop()
      assert.ok(load.total > 200, `only ${load.total} requests were sent`)
      assert.deepEqual(load.failures, [], `${load.failures.length} of ${load.total} requests failed`)
    })
  })
}
