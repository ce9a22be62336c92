import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { AgentRequestError } from '../../src/drivers/amphora/rest/agent-client-errors.js'
import { assertNothingLeft } from './support/amphora-leftovers.js'
import { startAmphoraStack, type AmphoraStack, type StackMode } from './support/amphora-stack.js'

// A load balancer create that fails once its amphora is built (HAProxy does
// not start): the flow reverts and cleans up everything it made.

const isRoot = process.geteuid?.() === 0
const modes: StackMode[] = (process.env.OCTAVIA_E2E_MODES?.split(',') as StackMode[] | undefined) ?? (isRoot ? ['netns', 'loopback'] : ['loopback'])

for (const mode of modes) {
  describe(`amphora provider reverts, ${mode} mode`, () => {
    let stack: AmphoraStack

    before(async () => { stack = await startAmphoraStack({ mode }) })
    after(async () => { await stack?.close() })

    it('when HAProxy cannot be started for a new load balancer, then it ends ERROR and its amphora leaves nothing behind', async () => {
      const agent = stack.amphora.agent as { action: (...a: unknown[]) => Promise<unknown> }
      const action = agent.action
      agent.action = async () => { throw new AgentRequestError(500, 'Error reloading haproxy', 'injected by the test', 'https://agent/') }
      try {
        const r = await stack.request('POST', '/v2/lbaas/loadbalancers', {
          loadbalancer: { vip_subnet_id: stack.subnetId, listeners: [{ protocol: 'TCP', protocol_port: 7000 }] },
        })
        assert.equal(r.status, 201, JSON.stringify(r.body))
        const lbId = r.body.loadbalancer.id
        const lb = await stack.waitStatus(`/v2/lbaas/loadbalancers/${lbId}`, 'ERROR', 30000)
        const listener = (await stack.request('GET', `/v2/lbaas/listeners?loadbalancer_id=${lbId}`)).body.listeners[0]
        assert.equal(listener.provisioning_status, 'ERROR')
        const amps = await stack.database.db.selectFrom('amphora').selectAll().where('load_balancer_id', '=', lbId).execute()
        assert.equal(amps.length, 1)
        assert.equal(amps[0].status, 'DELETED')
        await assertNothingLeft(stack, amps[0].id, lb.vip_address, { vipPort: true })
        agent.action = action
        const del = await stack.request('DELETE', `/v2/lbaas/loadbalancers/${lbId}?cascade=true`)
        assert.equal(del.status, 204, JSON.stringify(del.body))
        await stack.waitUntil(`/v2/lbaas/loadbalancers/${lbId}`, b => b?.loadbalancer === undefined)
        await assertNothingLeft(stack, amps[0].id, lb.vip_address)
      } finally {
        agent.action = action
      }
    })
  })
}
