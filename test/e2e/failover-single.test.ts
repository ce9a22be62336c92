import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { after, before, describe, it } from 'node:test'
import { startAmphoraStack, type AmphoraStack } from './support/amphora-stack.js'
import { dataplaneModes, startDataplaneBackend, type DataplaneBackend } from './support/dataplane-backends.js'
import { createServedLoadBalancer, liveAmphorae } from './support/served-load-balancer.js'
import { startTrafficProbe } from './support/traffic-gap.js'

// Issue 5, item 3 (admin side): `PUT …/amphorae/{id}/failover` and
// `PUT …/loadbalancers/{id}/failover` replace the amphora of a SINGLE load
// balancer by a new one (new id, new namespace or loopback slot) while a
// client loop runs on the VIP: the VIP stays the same, traffic comes back
// within 5 s (the bound; bench/failover measures the real gap), the
// old amphora is DELETED and nothing of it is left on the host.

const PORT = 10090

const namespaces = (): string => execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })

for (const mode of dataplaneModes()) {
  describe(`SINGLE failover through the API, ${mode} mode`, () => {
    let stack: AmphoraStack
    let backend: DataplaneBackend
    let lbId = ''
    let vip = ''

    before(async () => {
      stack = await startAmphoraStack({ mode })
      backend = await startDataplaneBackend('only', stack.backendHost)
      ;({ id: lbId, vip } = await createServedLoadBalancer(stack, { name: 'failover-single', port: PORT, backend }))
    })
    after(async () => {
      await stack?.close()
      await backend?.close()
    })

    /** Runs `trigger` under a client loop; returns the amphora that replaced `old` and the longest gap. */
    const failOver = async (old: string, trigger: () => Promise<void>) => {
      const probe = startTrafficProbe(vip, PORT, { maxMs: 60_000 })
      try {
        await new Promise(r => setTimeout(r, 300))
        await trigger()
        const amp = await (async () => {
          const deadline = Date.now() + 30_000
          for (;;) {
            const lb = (await stack.request('GET', `/v2/lbaas/loadbalancers/${lbId}`)).body.loadbalancer
            const live = await liveAmphorae(stack, lbId)
            if (lb.provisioning_status === 'ACTIVE' && live.length === 1 && live[0].id !== old) return live[0]
            assert.notEqual(lb.provisioning_status, 'ERROR')
            if (Date.now() > deadline) throw new Error(`no replacement: ${JSON.stringify(live)}`)
            await new Promise(r => setTimeout(r, 50))
          }
        })()
        const okBefore = probe.okCount()
        const deadline = Date.now() + 10_000
        while (probe.okCount() < okBefore + 10 && Date.now() < deadline) await new Promise(r => setTimeout(r, 50))
        const report = await probe.stop()
        return { amp, report }
      } finally {
        await probe.stop()
      }
    }

    const assertReplaced = async (old: string, amp: { id: string; status: string; role: string | null; compute_id: string | null }) => {
      assert.deepEqual([amp.status, amp.role], ['ALLOCATED', 'STANDALONE'])
      const gone = await stack.database.db.selectFrom('amphora').select('status').where('id', '=', old).executeTakeFirstOrThrow()
      assert.equal(gone.status, 'DELETED')
      assert.equal((await stack.request('GET', `/v2/lbaas/loadbalancers/${lbId}`)).body.loadbalancer.vip_address, vip, 'same VIP')
      await assert.rejects(stack.agent.host.state(old), 'the old amphora is unregistered from the agent')
      if (mode === 'netns') {
        assert.doesNotMatch(namespaces(), new RegExp(`amp-${old}`), 'the old namespace is gone')
        assert.match(namespaces(), new RegExp(`amp-${amp.id}`))
      }
    }

    it('when an amphora is failed over, then a new one serves the same VIP and the old one is gone', async () => {
      const [old] = await liveAmphorae(stack, lbId)
      const { amp, report } = await failOver(old.id, async () => {
        const r = await stack.request('PUT', `/v2/octavia/amphorae/${old.id}/failover`)
        assert.equal(r.status, 202, JSON.stringify(r.body))
      })
      await assertReplaced(old.id, amp)
      assert.ok(report.ok > 10, JSON.stringify(report))
      assert.ok(report.longestGapMs < 5000, `longest gap ${report.longestGapMs} ms`)
    })

    it('when the load balancer is failed over, then its amphora is replaced the same way', async () => {
      const [old] = await liveAmphorae(stack, lbId)
      const { amp, report } = await failOver(old.id, async () => {
        const r = await stack.request('PUT', `/v2/lbaas/loadbalancers/${lbId}/failover`)
        assert.equal(r.status, 202, JSON.stringify(r.body))
      })
      await assertReplaced(old.id, amp)
      assert.ok(report.longestGapMs < 5000, `longest gap ${report.longestGapMs} ms`)
    })
  })
}
