/**
 * ACTIVE_STANDBY on the data plane: two namespaced amphorae on a scratch
 * bridge, each with HAProxy and keepalived run by the real agent, traffic to
 * the VIP from the host. Exactly one amphora holds the VIP; it moves to the
 * peer when the holder's keepalived stops cleanly, is SIGKILLed (the agent
 * then tears the holder down: no HAProxy, no VIP, failed flag), when the
 * holder's namespace is deleted, and when the holder's HAProxy dies (check
 * script). Root only; bounds are generous (the bench measures gaps).
 */
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { after, before, describe, it } from 'node:test'
import { failedFile } from '../../src/amphora-api/agent-paths.js'
import { processAlive, waitForExit } from '../../src/agent/haproxy/haproxy-process.js'
import { AgentRequestError } from '../../src/drivers/amphora/rest/agent-client-errors.js'
import { eventually } from './support/agent-traffic.js'
import { isRoot } from './support/netns-fixtures.js'
import { startVrrpLab, type LabAmphora, type LabPair, type VrrpLab } from './support/vrrp-lab.js'

const skip = isRoot() ? false : 'ACTIVE_STANDBY e2e tests need root (network namespaces, keepalived): sudo node --import tsx --test test/e2e/agent-vrrp.test.ts'
/** Generous bound for a VIP to move (measured ~0.7 s clean, ~3.3 s hard loss with advert_int 1 on an idle host). */
const MOVE_MS = 20_000
let lab: VrrpLab

const refused = (status: number, text: RegExp) => (e: unknown): boolean =>
  e instanceof AgentRequestError && e.agentStatus === status && text.test(`${e.message} ${e.details ?? ''}`)

/** Waits until exactly `holder` has the VIP and serves it; returns the pair's other amphora. */
async function servedOnlyBy(p: LabPair, holder: LabAmphora): Promise<void> {
  await eventually(async () => {
    const now = lab.holders(p)
    return now.length === 1 && now[0] === holder && (await lab.servedBy(p)) === holder.vrrpIp
  }, MOVE_MS)
}

/** Waits for the first election; returns [holder, peer]. */
async function elected(p: LabPair): Promise<[LabAmphora, LabAmphora]> {
  await eventually(() => lab.holders(p).length === 1, MOVE_MS)
  const holder = lab.holders(p)[0]!
  const peer = p.amphorae.find((a) => a !== holder)!
  await servedOnlyBy(p, holder)
  return [holder, peer]
}

/** The holder was torn down by the agent: no keepalived, no HAProxy, no VIP, failed 'keepalived exited'. */
async function assertTornDown(a: LabAmphora): Promise<void> {
  await eventually(async () => lab.h.agent.host.failure(a.id) !== null, MOVE_MS)
  assert.equal(lab.h.agent.host.failure(a.id), 'keepalived exited')
  assert.equal((await readFile(failedFile(lab.h.base, a.id), 'utf8')).trim(), 'keepalived exited')
  await eventually(async () => !(await lab.h.client.vrrpStatus(lab.h.endpoint, a.id)).running, MOVE_MS)
  assert.deepEqual(await lab.h.client.vrrpStatus(lab.h.endpoint, a.id), { running: false, pid: null, holdsVip: false })
  assert.deepEqual((await lab.h.client.getAmphora(lab.h.endpoint, a.id)).loadbalancers, [{ id: a.lbId, running: false, pid: null }])
}

describe('ACTIVE_STANDBY amphorae with keepalived', { skip }, () => {
  before(async () => {
    lab = await startVrrpLab({
      OCTAVIA_TS__amphora_agent__haproxy_watchdog_interval: '1',
      OCTAVIA_TS__keepalived_vrrp__vrrp_check_interval: '1',
    })
  })
  after(async () => {
    assert.deepEqual(await lab.close(), [], 'nothing of ours is left in `ip netns list` / `ip link`')
  })

  it('when both amphorae run keepalived, then exactly one holds the VIP, serves it, and a handover and a delete move it cleanly', async () => {
    const p = await lab.pair(0)
    const [holder, peer] = await elected(p)
    const { h } = lab
    const status = await h.client.vrrpStatus(h.endpoint, holder.id)
    assert.equal(status.running, true)
    assert.equal(status.holdsVip, true)
    assert.deepEqual({ ...(await h.client.vrrpStatus(h.endpoint, peer.id)), pid: 0 }, { running: true, pid: 0, holdsVip: false })
    assert.match((await h.client.info(h.endpoint)).keepalived_version ?? '', /^\d+\.\d+/)

    // idempotent: the same spec again changes nothing; a re-plug leaves the VIP keepalived holds (floating)
    assert.match((await h.client.putVrrp(h.endpoint, holder.id, p.specOf(holder))).details ?? '', /unchanged/)
    assert.deepEqual((await lab.replug(holder, p)).addresses, [`${holder.vrrpIp}/24`])
    assert.deepEqual(lab.holders(p), [holder], 'the re-plug left the VIP keepalived holds')
    assert.equal((await h.client.vrrpStatus(h.endpoint, holder.id)).pid, status.pid)
    await servedOnlyBy(p, holder)

    // a changed spec reloads the running keepalived in place: the MASTER takes the added VIP, the BACKUP does not
    const extra = p.vip.replace(/\d+$/, '200')
    for (const a of p.amphorae) {
      const reply = await h.client.putVrrp(h.endpoint, a.id, { ...p.specOf(a), vips: [`${p.vip}/24`, `${extra}/24`] })
      assert.match(reply.details ?? '', /reloaded/)
    }
    await eventually(() => lab.addresses(holder).includes(extra), MOVE_MS)
    assert.equal((await h.client.vrrpStatus(h.endpoint, holder.id)).pid, status.pid)
    assert.ok(!lab.addresses(peer).includes(extra))
    await servedOnlyBy(p, holder)

    // clean stop of the holder: the peer takes over; the holder, started again, stays BACKUP (nopreempt)
    await h.client.vrrpAction(h.endpoint, holder.id, 'stop')
    await h.client.vrrpAction(h.endpoint, holder.id, 'stop')
    await servedOnlyBy(p, peer)
    assert.deepEqual(await h.client.vrrpStatus(h.endpoint, holder.id), { running: false, pid: null, holdsVip: false })
    assert.equal(h.agent.host.failure(holder.id), null, 'a keepalived stopped on purpose is no failure')
    await h.client.vrrpAction(h.endpoint, holder.id, 'start')
    assert.equal((await h.client.vrrpStatus(h.endpoint, holder.id)).running, true)
    await new Promise((r) => setTimeout(r, 5000))
    await servedOnlyBy(p, peer)

    // deleting the new holder from the agent stops its keepalived and hands the VIP back
    const peerPid = (await h.client.vrrpStatus(h.endpoint, peer.id)).pid!
    await h.client.deleteAmphora(h.endpoint, peer.id)
    assert.equal(await processAlive(peerPid), false)
    await servedOnlyBy(p, holder)
    assert.equal(h.agent.host.failure(holder.id), null)
  })

  it('when the agent restarts, then keepalived is re-adopted; SIGKILLed later, the watchdog tears the holder down and the peer serves', async () => {
    const p = await lab.pair(1)
    const [holder, peer] = await elected(p)
    const { pid } = await lab.h.client.vrrpStatus(lab.h.endpoint, holder.id)
    await lab.h.restartAgent()
    assert.deepEqual(await lab.h.client.vrrpStatus(lab.h.endpoint, holder.id), { running: true, pid, holdsVip: true })
    process.kill(-pid!, 'SIGKILL') // parent and VRRP child at once: nothing releases the VIP
    assert.equal(await waitForExit(pid!, 5000), true)
    await servedOnlyBy(p, peer)
    await assertTornDown(holder)
    assert.equal(lab.h.agent.host.failure(peer.id), null)
  })

  it('when the holder\'s keepalived started by this agent is SIGKILLed, then the agent tears the holder down and the peer serves', async () => {
    const p = await lab.pair(2)
    const [holder, peer] = await elected(p)
    const { pid } = await lab.h.client.vrrpStatus(lab.h.endpoint, holder.id)
    process.kill(-pid!, 'SIGKILL')
    await servedOnlyBy(p, peer)
    await assertTornDown(holder)
  })

  it('when the holder\'s namespace is deleted with its processes, then the peer serves', async () => {
    const p = await lab.pair(3)
    const [holder, peer] = await elected(p)
    await lab.plane.compute.delete(holder.netns, new AbortController().signal)
    await servedOnlyBy(p, peer)
    await eventually(() => lab.h.agent.host.failure(holder.id) !== null, MOVE_MS)
  })

  it('when a VRRP request cannot work, then the agent answers 400 or 404 and changes nothing', async () => {
    const { h } = lab
    const loopback = await h.amphora(null)
    for (const call of [
      h.client.putVrrp(h.endpoint, loopback, { groupName: 'x', vrrpId: 1, priority: 100, authPassword: 'x', advertInt: 1, ownIp: '10.213.0.2', peerIps: ['10.213.0.3'], vips: ['10.213.0.4/24'] }),
      h.client.vrrpAction(h.endpoint, loopback, 'start'),
      h.client.vrrpAction(h.endpoint, loopback, 'stop'),
      h.client.vrrpStatus(h.endpoint, loopback),
    ]) await assert.rejects(call, refused(400, /no network namespace/))
    await assert.rejects(h.client.vrrpStatus(h.endpoint, randomUUID()), refused(404, /not registered/))

    const p = await lab.pair(4)
    const [a] = p.amphorae
    const spec = p.specOf(a)
    await assert.rejects(h.client.putVrrp(h.endpoint, a.id, { ...spec, authPassword: 'a b' }), refused(400, /Invalid VRRP spec.*authPassword/))
    await assert.rejects(h.client.putVrrp(h.endpoint, a.id, { ...spec, ownIp: p.vip.replace(/\d+$/, '250') }), refused(400, /no interface/))
    await assert.rejects(h.client.vrrpAction(h.endpoint, a.id, 'bogus' as 'start'), refused(400, /Unknown action/))
    assert.match((await h.client.putVrrp(h.endpoint, a.id, spec)).details ?? '', /unchanged/, 'the refused specs changed nothing')

    const bare = randomUUID()
    await h.client.registerAmphora(h.endpoint, bare, { netns: a.netns })
    await assert.rejects(h.client.vrrpAction(h.endpoint, bare, 'start'), refused(404, /no vrrp configuration/))
    assert.deepEqual(await h.client.vrrpStatus(h.endpoint, bare), { running: false, pid: null, holdsVip: false })
    await h.client.deleteAmphora(h.endpoint, bare)
  })
})

describe('ACTIVE_STANDBY check script', { skip }, () => {
  let checkLab: VrrpLab
  before(async () => {
    // no watchdog: a dead HAProxy stays dead, so only keepalived's check script can react
    checkLab = await startVrrpLab({ OCTAVIA_TS__amphora_agent__haproxy_watchdog_interval: '0', OCTAVIA_TS__keepalived_vrrp__vrrp_check_interval: '1' })
  })
  after(async () => {
    assert.deepEqual(await checkLab.close(), [])
  })

  it('when the holder\'s HAProxy dies, then its keepalived gives the VIP up and the peer serves', async () => {
    lab = checkLab
    const p = await lab.pair(0)
    const [holder, peer] = await elected(p)
    const haproxy = (await lab.h.client.getAmphora(lab.h.endpoint, holder.id)).loadbalancers[0]!.pid!
    process.kill(-haproxy, 'SIGKILL')
    await servedOnlyBy(p, peer)
    const status = await lab.h.client.vrrpStatus(lab.h.endpoint, holder.id)
    assert.equal(status.running, true, 'keepalived runs on, in FAULT')
    assert.equal(status.holdsVip, false)
  })
})
