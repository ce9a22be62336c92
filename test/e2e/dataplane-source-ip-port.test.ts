import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { after, before, describe, it } from 'node:test'
import { startHttpBackend, startNameServer, type Backend } from './support/amphora-backends.js'
import { startAmphoraStack, type AmphoraStack } from './support/amphora-stack.js'
import { createAndSettle, dataplaneModes } from './support/dataplane-backends.js'
import { taskResult } from './support/job-results.js'
import { answerFrom, backendHeaderAnswer, HTTP_GET, nameAnswer, type Source } from './support/source-port-client.js'

// Issue 10, item 4: SOURCE_IP_PORT on the amphora provider, through a VIP and
// a real HAProxy (`balance hash` of the client's address and port, consistent
// hashing). One load balancer: a TCP listener whose pool has three members
// that answer their name, an HTTP listener whose pool has three HTTP members.
//
// The client binds its source address and ports. A hash spreads 200 flows
// only statistically: for an arbitrary block of 200 ports, ~2-9 % of source
// addresses put one of three members outside 200/3 ± 25 % (a scan of 100
// addresses × 14 blocks here). Address and ports are therefore fixed, so the
// spread is the same on every run: in netns mode the host gets CLIENT.netns
// on the stack's bridge (amphorae route it back through their default route),
// in loopback mode the client is 127.0.0.1.

const TCP_PORT = 10090
const HTTP_PORT = 10091
const CLIENT = { netns: '10.213.254.1', loopback: '127.0.0.1' } as const
const SPREAD_PORTS = Array.from({ length: 200 }, (_, i) => 21400 + i)
const HTTP_PORTS = Array.from({ length: 30 }, (_, i) => 21700 + i)

/** Counts of each answer. */
const tally = (answers: Iterable<string>): Map<string, number> => {
  const out = new Map<string, number>()
  for (const a of answers) out.set(a, (out.get(a) ?? 0) + 1)
  return out
}

for (const mode of dataplaneModes()) {
  describe(`SOURCE_IP_PORT through a VIP, ${mode} mode`, () => {
    let stack: AmphoraStack
    const tcpMembers: Awaited<ReturnType<typeof startNameServer>>[] = []
    const httpMembers: Backend[] = []
    let lbId = ''
    let vip = ''
    let tcpPoolId = ''
    let addressAdded = false
    const client = CLIENT[mode]
    const from = (port: number): Source => ({ address: client, port })
    /** Member reached by each spread port, sequentially, one connection each. */
    const spread = async (): Promise<Map<number, string>> => {
      const out = new Map<number, string>()
      for (const p of SPREAD_PORTS) out.set(p, await answerFrom(vip, TCP_PORT, from(p), nameAnswer))
      return out
    }
    let lastSpread = new Map<number, string>()

    before(async () => {
      stack = await startAmphoraStack({ mode })
      if (stack.bridge !== null) {
        execFileSync('ip', ['addr', 'add', `${client}/32`, 'dev', stack.bridge])
        addressAdded = true
      }
      for (const name of ['m1', 'm2', 'm3', 'm4']) tcpMembers.push(await startNameServer(name, stack.backendHost))
      for (const name of ['h1', 'h2', 'h3']) httpMembers.push(await startHttpBackend(name, stack.backendHost))
      const members = (list: readonly { host: string, port: number }[]) => list.map(b => ({ address: b.host, protocol_port: b.port, subnet_id: stack.subnetId }))
      const r = await stack.request('POST', '/v2/lbaas/loadbalancers', {
        loadbalancer: {
          name: 'source-ip-port', vip_subnet_id: stack.subnetId,
          listeners: [
            { protocol: 'TCP', protocol_port: TCP_PORT, default_pool: { name: 'tcp', protocol: 'TCP', lb_algorithm: 'SOURCE_IP_PORT', members: members(tcpMembers.slice(0, 3)) } },
            { protocol: 'HTTP', protocol_port: HTTP_PORT, default_pool: { name: 'http', protocol: 'HTTP', lb_algorithm: 'SOURCE_IP_PORT', members: members(httpMembers) } },
          ],
        },
      })
      assert.equal(r.status, 201, JSON.stringify(r.body))
      lbId = r.body.loadbalancer.id
      vip = r.body.loadbalancer.vip_address
      await stack.waitStatus(`/v2/lbaas/loadbalancers/${lbId}`, 'ACTIVE', 30000)
      tcpPoolId = (await stack.request('GET', `/v2/lbaas/pools?loadbalancer_id=${lbId}&name=tcp`)).body.pools[0].id
      await waitServing(vip)
    })
    after(async () => {
      if (lbId && stack) {
        await stack.request('DELETE', `/v2/lbaas/loadbalancers/${lbId}?cascade=true`).catch(() => undefined)
        await stack.waitUntil(`/v2/lbaas/loadbalancers/${lbId}`, b => b?.loadbalancer === undefined, 30000).catch(() => undefined)
      }
      for (const b of [...tcpMembers, ...httpMembers]) await b.close()
      if (addressAdded) {
        try { execFileSync('ip', ['addr', 'del', `${client}/32`, 'dev', stack.bridge!]) } catch { /* the bridge is gone */ }
      }
      await stack?.close()
    })

    it('when 200 connections come from 200 source ports of one address, then each of 3 members gets 200/3 ± 25 %', async () => {
      lastSpread = await spread()
      const counts = tally(lastSpread.values())
      console.log(`# ${mode}: 200 source ports of ${client} → ${JSON.stringify(Object.fromEntries([...counts].sort()))}`)
      assert.deepEqual([...counts.keys()].sort(), ['m1', 'm2', 'm3'])
      for (const [member, n] of counts) assert.ok(Math.abs(n - 200 / 3) <= 200 / 3 / 4, `${member} got ${n} of 200`)
    })

    it('when one source address:port connects again and again, then it always reaches the same member', async () => {
      for (const p of SPREAD_PORTS.slice(0, 10)) {
        const answers: string[] = []
        for (let i = 0; i < 10; i++) answers.push(await answerFrom(vip, TCP_PORT, from(p), nameAnswer))
        assert.deepEqual(answers, Array(10).fill(lastSpread.get(p)), `${client}:${p}, 10 connections one after the other`)
      }
    })

    it('when HTTP requests come from many source ports, then they spread over the HTTP members and each port keeps its member', async () => {
      const first = new Map<number, string>()
      for (const p of HTTP_PORTS) first.set(p, await answerFrom(vip, HTTP_PORT, from(p), backendHeaderAnswer, HTTP_GET))
      assert.deepEqual([...tally(first.values()).keys()].sort(), ['h1', 'h2', 'h3'], JSON.stringify([...first]))
      for (const p of HTTP_PORTS.slice(0, 5)) {
        for (let i = 0; i < 5; i++) assert.equal(await answerFrom(vip, HTTP_PORT, from(p), backendHeaderAnswer, HTTP_GET), first.get(p), `${client}:${p}`)
      }
    })

    it('when a member is added, then HAProxy takes it at runtime and the flows that move all move to it', async () => {
      const m4 = tcpMembers[3]
      await createAndSettle(stack, lbId, `/v2/lbaas/pools/${tcpPoolId}/members`, { member: { address: m4.host, protocol_port: m4.port, subnet_id: stack.subnetId } })
      assert.deepEqual(Object.values(await taskResult(stack, 'member_create', 'update-amphora-configs') as object), ['runtime'])
      const before = lastSpread
      lastSpread = await spread()
      const moved = SPREAD_PORTS.filter(p => lastSpread.get(p) !== before.get(p))
      console.log(`# ${mode}: a 4th member: ${moved.length} of 200 flows moved → ${JSON.stringify(Object.fromEntries([...tally(lastSpread.values())].sort()))}`)
      assert.deepEqual(moved.filter(p => lastSpread.get(p) !== 'm4'), [], 'flows moved between the old members')
      assert.ok(moved.length > 0, 'the new member gets flows')
    })

    it('when a member is deleted, then HAProxy drops it at runtime and only its flows move', async () => {
      const members = (await stack.request('GET', `/v2/lbaas/pools/${tcpPoolId}/members`)).body.members as { id: string, protocol_port: number }[]
      const m1 = members.find(m => m.protocol_port === tcpMembers[0].port)!
      const del = await stack.request('DELETE', `/v2/lbaas/pools/${tcpPoolId}/members/${m1.id}`)
      assert.equal(del.status, 204)
      await stack.waitStatus(`/v2/lbaas/loadbalancers/${lbId}`, 'ACTIVE', 30000)
      assert.deepEqual(Object.values(await taskResult(stack, 'member_delete', 'update-amphora-configs') as object), ['runtime'])
      const before = lastSpread
      lastSpread = await spread()
      const moved = SPREAD_PORTS.filter(p => lastSpread.get(p) !== before.get(p))
      console.log(`# ${mode}: m1 deleted: ${moved.length} of 200 flows moved → ${JSON.stringify(Object.fromEntries([...tally(lastSpread.values())].sort()))}`)
      assert.deepEqual(moved.filter(p => before.get(p) !== 'm1'), [], 'flows of the remaining members moved')
      assert.ok(![...lastSpread.values()].includes('m1'), 'the deleted member still answers')
      assert.equal(moved.length, [...before.values()].filter(m => m === 'm1').length)
    })
  })
}

/** Polls the TCP listener (ephemeral source ports) until a member answers; at most `ms`. */
async function waitServing(vip: string, ms = 15000): Promise<void> {
  const deadline = Date.now() + ms
  for (;;) {
    try {
      await answerFrom(vip, TCP_PORT, null, nameAnswer, '', 1000)
      return
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`${vip}:${TCP_PORT} never answered: ${String(err)}`)
    }
    await new Promise(r => setTimeout(r, 100))
  }
}
