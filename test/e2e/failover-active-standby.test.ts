import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { holdsVip, killNamespace } from './support/amphora-faults.js'
import { startAmphoraStack, type AmphoraStack } from './support/amphora-stack.js'
import { startDataplaneBackend, waitAnswer, type DataplaneBackend } from './support/dataplane-backends.js'
import { activeStandbyFlavor, createServedLoadBalancer, liveAmphorae } from './support/served-load-balancer.js'
import { startTrafficProbe, type GapReport } from './support/traffic-gap.js'

// Issue 5, item 4 and its acceptance: an ACTIVE_STANDBY load balancer (flavor
// `loadbalancer_topology`) runs on two namespaced amphorae, MASTER and
// BACKUP, with keepalived; killing the namespace of the one holding the VIP
// leaves a traffic gap of at most 4 s (the bound for VRRP with advert_int 1;
// the default 0.5 takes ~1.8 s), a clean
// keepalived stop at most about 1 s, and the lost amphora is rebuilt by the
// health manager while the survivor serves. bench/failover measures the gaps
// as medians; the bounds here are the (the clean stop gets 2 s here:
// a loaded CI machine must not turn a measurement into a flaky test).

const PORT = 10097
const isRoot = process.geteuid?.() === 0

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms))

describe('ACTIVE_STANDBY, netns mode', { skip: !isRoot && 'keepalived VRRP needs network namespaces (root)' }, () => {
  let stack: AmphoraStack
  let backend: DataplaneBackend
  let lbId = ''
  let vip = ''

  before(async () => {
    stack = await startAmphoraStack({ mode: 'netns' })
    backend = await startDataplaneBackend('only', stack.backendHost)
    const flavorId = await activeStandbyFlavor(stack, 'act-stdby')
    ;({ id: lbId, vip } = await createServedLoadBalancer(stack, { name: 'act-stdby', port: PORT, backend, flavorId }))
    assert.equal((await stack.request('GET', `/v2/lbaas/loadbalancers/${lbId}`)).body.loadbalancer.flavor_id, flavorId)
  })
  after(async () => {
    await stack?.close()
    await backend?.close()
  })

  /** The two amphorae once exactly one holds the VIP (keepalived settled); [holder, other]. */
  const settledPair = async () => {
    const deadline = Date.now() + 20_000
    for (;;) {
      const amps = await liveAmphorae(stack, lbId)
      const holders = amps.filter(a => holdsVip(a.id, vip))
      if (amps.length === 2 && amps.every(a => a.status === 'ALLOCATED') && holders.length === 1) {
        return [holders[0], amps.find(a => a.id !== holders[0].id)!]
      }
      if (Date.now() > deadline) throw new Error(`no settled pair: ${JSON.stringify(amps.map(a => [a.id, a.role, a.status, holdsVip(a.id, vip)]))}`)
      await sleep(100)
    }
  }

  /** Runs `act` under a client loop; the longest gap. */
  const underTraffic = async (act: () => Promise<void>): Promise<GapReport> => {
    const probe = startTrafficProbe(vip, PORT, { maxMs: 90_000 })
    try {
      await sleep(500)
      await act()
      await sleep(1500)
    } finally {
      return probe.stop()
    }
  }

  it('when it is created, then a MASTER and a BACKUP run, exactly one holds the VIP, and it serves', async () => {
    const [holder, other] = await settledPair()
    assert.deepEqual((await liveAmphorae(stack, lbId)).map(a => [a.role, a.vrrp_priority]), [['MASTER', 100], ['BACKUP', 90]])
    for (const a of [holder, other]) {
      const state = await stack.agent.host.state(a.id)
      assert.equal(state.loadbalancers.find(l => l.id === lbId)?.running, true, `HAProxy runs on ${a.role} (binding the VIP it may not hold)`)
    }
    assert.equal((await stack.request('GET', `/v2/octavia/amphorae?loadbalancer_id=${lbId}`)).body.amphorae.length, 2)
  })

  it('when keepalived of the VIP holder stops cleanly, then the peer takes the VIP over within about a second', async () => {
    const [holder, other] = await settledPair()
    const report = await underTraffic(async () => {
      await stack.amphora.agent.vrrpAction({ host: '127.0.0.1', port: stack.config.haproxy_amphora.bind_port }, holder.id, 'stop')
      const deadline = Date.now() + 10_000
      while (!holdsVip(other.id, vip)) {
        if (Date.now() > deadline) throw new Error('the peer never took the VIP')
        await sleep(20)
      }
    })
    assert.ok(report.longestGapMs <= 2000, `clean stop gap ${report.longestGapMs} ms: ${JSON.stringify(report)}`)
    await stack.amphora.agent.vrrpAction({ host: '127.0.0.1', port: stack.config.haproxy_amphora.bind_port }, holder.id, 'start')
    const [again] = await settledPair()
    assert.equal(again.id, other.id, 'nopreempt: the restarted one stays BACKUP')
  })

  it('when the VIP holder\'s namespace is killed, then the peer serves within 4 s and the lost amphora is rebuilt while traffic flows', async () => {
    const [holder, survivor] = await settledPair()
    let rebuilt = ''
    const report = await underTraffic(async () => {
      killNamespace(holder.id)
      const deadline = Date.now() + 30_000
      for (;;) {
        const amps = await liveAmphorae(stack, lbId)
        const lb = (await stack.request('GET', `/v2/lbaas/loadbalancers/${lbId}`)).body.loadbalancer
        const fresh = amps.find(a => a.id !== holder.id && a.id !== survivor.id)
        if (fresh && fresh.status === 'ALLOCATED' && amps.length === 2 && lb.provisioning_status === 'ACTIVE') {
          rebuilt = fresh.id
          return
        }
        assert.notEqual(lb.provisioning_status, 'ERROR')
        if (Date.now() > deadline) throw new Error(`not rebuilt: ${JSON.stringify(amps.map(a => [a.id, a.role, a.status]))}`)
        await sleep(50)
      }
    })
    assert.ok(report.longestGapMs <= 4000, `hard loss gap ${report.longestGapMs} ms: ${JSON.stringify(report)}`)
    const [newHolder, peer] = await settledPair()
    assert.equal(newHolder.id, survivor.id, 'the survivor keeps the VIP (nopreempt)')
    assert.equal(peer.id, rebuilt)
    assert.equal(peer.role, holder.role, 'the rebuilt amphora has the lost one\'s role')
    const gone = await stack.database.db.selectFrom('amphora').select('status').where('id', '=', holder.id).executeTakeFirstOrThrow()
    assert.equal(gone.status, 'DELETED')
    await waitAnswer(vip, PORT)
  })
})
