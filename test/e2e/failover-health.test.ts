import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { after, before, describe, it } from 'node:test'
import { startAmphoraStack, type AmphoraStack } from './support/amphora-stack.js'
import { dataplaneModes, startDataplaneBackend, type DataplaneBackend } from './support/dataplane-backends.js'
import { createServedLoadBalancer, liveAmphorae } from './support/served-load-balancer.js'
import { startTrafficProbe, type GapReport } from './support/traffic-gap.js'

// Issue 5, items 2-3 and the acceptance on failures: the health manager
// replaces a SINGLE load balancer's amphora whose HAProxy was SIGKILLed or
// whose namespace was deleted (the agent reports it `failed` in its
// heartbeats), traffic through the same VIP comes back within 5 s and the
// load balancer ends ACTIVE/ONLINE with a new amphora; restarting the agent,
// or stopping the health manager for longer than heartbeat_timeout and
// starting it again, fails nothing over and drops no request.

const PORT = 10095
const TIMEOUT_MS = 5000 // [health_manager] heartbeat_timeout of the stack (the default)

const failoverJobs = async (stack: AmphoraStack): Promise<number> =>
  (await stack.database.db.selectFrom('job').select('id').where('operation', 'in', ['failover_amphora', 'loadbalancer_failover']).execute()).length

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms))

for (const mode of dataplaneModes()) {
  describe(`health manager failover, ${mode} mode`, () => {
    let stack: AmphoraStack
    let backend: DataplaneBackend
    let lbId = ''
    let vip = ''

    before(async () => {
      stack = await startAmphoraStack({ mode })
      backend = await startDataplaneBackend('only', stack.backendHost)
      ;({ id: lbId, vip } = await createServedLoadBalancer(stack, { name: 'failover-health', port: PORT, backend }))
      await stack.waitUntil(`/v2/lbaas/loadbalancers/${lbId}`, b => b.loadbalancer.operating_status === 'ONLINE', 15000)
    })
    after(async () => {
      await stack?.close()
      await backend?.close()
    })

    /** Runs `act` under a client loop kept up `settleMs` after it; the probe's report. */
    const underTraffic = async (act: () => Promise<void>, settleMs: number): Promise<GapReport> => {
      const probe = startTrafficProbe(vip, PORT, { maxMs: 90_000 })
      try {
        await sleep(300)
        await act()
        await sleep(settleMs)
      } finally {
        return probe.stop()
      }
    }

    it('when the agent restarts, then nothing fails over and no request is lost', async () => {
      const [amp] = await liveAmphorae(stack, lbId)
      const jobs = await failoverJobs(stack)
      const report = await underTraffic(() => stack.restartAgent(), TIMEOUT_MS * 2)
      assert.equal(report.failed, 0, JSON.stringify(report))
      assert.equal(await failoverJobs(stack), jobs)
      assert.deepEqual((await liveAmphorae(stack, lbId)).map(a => [a.id, a.status]), [[amp.id, 'ALLOCATED']])
    })

    it('when the health manager is down longer than heartbeat_timeout and starts again, then healthy amphorae are not failed over', async () => {
      const [amp] = await liveAmphorae(stack, lbId)
      const jobs = await failoverJobs(stack)
      await stack.stopHealthManager()
      await sleep(TIMEOUT_MS * 1.5)
      await stack.startHealthManager()
      await sleep(TIMEOUT_MS * 2)
      assert.equal(await failoverJobs(stack), jobs)
      assert.deepEqual((await liveAmphorae(stack, lbId)).map(a => [a.id, a.status]), [[amp.id, 'ALLOCATED']])
      const lb = (await stack.request('GET', `/v2/lbaas/loadbalancers/${lbId}`)).body.loadbalancer
      assert.deepEqual([lb.provisioning_status, lb.operating_status], ['ACTIVE', 'ONLINE'])
    })

    /** Breaks the amphora with `breakIt`, then waits for the new one; asserts what the acceptance asks. */
    const replacedAfter = async (breakIt: (ampId: string) => Promise<void>) => {
      const [old] = await liveAmphorae(stack, lbId)
      let replacement = ''
      const report = await underTraffic(async () => {
        await breakIt(old.id)
        const deadline = Date.now() + 30_000
        for (;;) {
          const live = await liveAmphorae(stack, lbId)
          const lb = (await stack.request('GET', `/v2/lbaas/loadbalancers/${lbId}`)).body.loadbalancer
          if (live.length === 1 && live[0].id !== old.id && live[0].status === 'ALLOCATED' && lb.provisioning_status === 'ACTIVE') {
            replacement = live[0].id
            return
          }
          assert.notEqual(lb.provisioning_status, 'ERROR')
          if (Date.now() > deadline) throw new Error(`no replacement for ${old.id}: ${JSON.stringify(live.map(a => [a.id, a.status]))}`)
          await sleep(50)
        }
      }, 1500)
      assert.ok(report.longestGapMs < 5000, `traffic gap ${report.longestGapMs} ms: ${JSON.stringify(report)}`)
      assert.equal((await stack.request('GET', `/v2/lbaas/loadbalancers/${lbId}`)).body.loadbalancer.vip_address, vip)
      const gone = await stack.database.db.selectFrom('amphora').select('status').where('id', '=', old.id).executeTakeFirstOrThrow()
      assert.equal(gone.status, 'DELETED')
      await assert.rejects(stack.agent.host.state(old.id), 'the old amphora is gone from the agent')
      const lb = await stack.waitUntil(`/v2/lbaas/loadbalancers/${lbId}`, b => b.loadbalancer.operating_status === 'ONLINE', 15000)
      assert.equal(lb.loadbalancer.provisioning_status, 'ACTIVE')
      return replacement
    }

    it('when the amphora\'s HAProxy is SIGKILLed, then a new amphora serves the same VIP within 5 s and the old one is gone', async () => {
      await replacedAfter(async ampId => {
        const state = await stack.agent.host.state(ampId)
        const pid = state.loadbalancers.find(l => l.id === lbId)?.pid
        assert.ok(pid, JSON.stringify(state))
        process.kill(pid, 'SIGKILL')
      })
    })

    it('when the amphora\'s namespace is deleted, then a new amphora serves the same VIP within 5 s', { skip: mode !== 'netns' && 'namespaces need root (netns mode)' }, async () => {
      const replacement = await replacedAfter(async ampId => {
        execFileSync('ip', ['netns', 'delete', `amp-${ampId}`])
      })
      assert.match(execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' }), new RegExp(`amp-${replacement}`))
    })
  })
}
