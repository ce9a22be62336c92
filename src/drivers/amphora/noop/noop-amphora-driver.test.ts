import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { VrrpSpec } from '../../../amphora-api/agent-api.js'
import { AgentRequestError } from '../rest/agent-client-errors.js'
import { certificateFileName } from '../../../amphora-api/certificate-files.js'
import { NoopAmphoraDriver } from './noop-amphora-driver.js'

const ep = { host: '127.0.0.1' }
const status = (code: number) => (err: unknown) => err instanceof AgentRequestError && err.agentStatus === code
const spec = (priority: number, ownIp: string, peer: string, groupName = 'lb1'): VrrpSpec => ({
  groupName, vrrpId: 1, priority, authPassword: 'pw', advertInt: 1, ownIp, peerIps: [peer], vips: ['10.0.0.5/24'],
})

describe('NoopAmphoraDriver', () => {
  it('when an amphora was not seen (the service restarted), then it counts as registered with nothing on it', async () => {
    const d = new NoopAmphoraDriver()
    assert.deepEqual(await d.getAmphora(ep, 'a1'), { id: 'a1', netns: null, loadbalancers: [] })
    await assert.rejects(d.getConfig(ep, 'a1', 'lb1'), status(404))
    await assert.rejects(d.action(ep, 'a1', 'lb1', 'reload'), status(404))
    assert.deepEqual(await d.stats(ep, 'a1'), { listeners: {}, pools: {} })
    assert.deepEqual(await d.vrrpStatus(ep, 'a1'), { running: false, pid: null, holdsVip: false })
    await assert.rejects(d.vrrpAction(ep, 'a1', 'start'), status(404))
    await d.deleteLoadBalancer(ep, 'a1', 'lb1')
    await d.deleteAmphora(ep, 'a1')
    assert.deepEqual(d.amphoraIds(), [], 'reads and deletes adopt nothing')
    await d.uploadConfig(ep, 'a1', 'lb1', 'global\n')
    await d.action(ep, 'a1', 'lb1', 'reload')
    await d.putVrrp(ep, 'a2', spec(100, '10.0.0.2', '10.0.0.3'))
    await d.vrrpAction(ep, 'a2', 'start')
    assert.deepEqual([d.amphoraIds(), d.haproxy('a1', 'lb1')?.running, (await d.vrrpStatus(ep, 'a2')).holdsVip], [['a1', 'a2'], true, true],
      'an upload or a VRRP spec adopts the amphora')
  })

  it('when a config is uploaded and reloaded, then it is returned and would run; runtime changes need it running', async () => {
    const d = new NoopAmphoraDriver()
    assert.deepEqual(await d.registerAmphora(ep, 'a1', { netns: null }), { id: 'a1', netns: null, loadbalancers: [] })
    await assert.rejects(d.getConfig(ep, 'a1', 'lb1'), status(404))
    await assert.rejects(d.action(ep, 'a1', 'lb1', 'reload'), status(404))
    await assert.rejects(d.uploadConfig(ep, 'a1', 'lb1', ' \n'), status(400))
    await d.uploadConfig(ep, 'a1', 'lb1', 'global\n')
    assert.equal(await d.getConfig(ep, 'a1', 'lb1'), 'global\n')
    const change = { backend: 'p:l', server: 'm1', weight: 2 }
    await assert.rejects(d.updateServers(ep, 'a1', 'lb1', [change]), status(409))
    await d.action(ep, 'a1', 'lb1', 'reload')
    await d.action(ep, 'a1', 'lb1', 'reload')
    await d.updateServers(ep, 'a1', 'lb1', [change])
    assert.deepEqual(d.haproxy('a1', 'lb1'), { config: 'global\n', running: true, reloads: 1, runtime: [[change]], certificateFiles: [] })
    assert.deepEqual((await d.registerAmphora(ep, 'a1', { netns: 'x' })).loadbalancers, [{ id: 'lb1', running: true, pid: null }])
    assert.deepEqual(await d.stats(ep, 'a1'), { listeners: {}, pools: {} })
    await d.deleteLoadBalancer(ep, 'a1', 'lb1')
    assert.equal(d.haproxy('a1', 'lb1'), undefined)
    await d.deleteAmphora(ep, 'a1')
    assert.deepEqual([d.registered('a1'), d.amphoraIds()], [false, []])
  })

  it('when TLS files are uploaded, then their names are recorded (not their content); a name not matching its content is 400', async () => {
    const d = new NoopAmphoraDriver()
    const pem = '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n'
    await d.uploadCertificates(ep, 'a1', 'lb1', [{ name: certificateFileName(pem), pem }])
    await assert.rejects(d.uploadCertificates(ep, 'a1', 'lb1', [{ name: certificateFileName('x'), pem }]), status(400))
    assert.deepEqual(d.haproxy('a1', 'lb1')?.certificateFiles, [certificateFileName(pem)])
    await assert.rejects(d.getConfig(ep, 'a1', 'lb1'), status(404), 'files alone are no configuration')
    assert.ok(!JSON.stringify(d.haproxy('a1', 'lb1')).includes('BEGIN'))
  })

  it('when peers run keepalived, then the higher priority holds the VIP, and the other once it stops or goes', async () => {
    const d = new NoopAmphoraDriver()
    for (const a of ['m', 'b', 'other']) await d.registerAmphora(ep, a, { netns: null })
    await assert.rejects(d.vrrpAction(ep, 'm', 'start'), status(404))
    await d.vrrpAction(ep, 'm', 'stop')
    await d.putVrrp(ep, 'm', spec(100, '10.0.0.2', '10.0.0.3'))
    await d.putVrrp(ep, 'b', spec(90, '10.0.0.3', '10.0.0.2'))
    await d.putVrrp(ep, 'other', spec(90, '10.0.1.3', '10.0.1.2', 'lb2'))
    assert.deepEqual(await d.vrrpStatus(ep, 'b'), { running: false, pid: null, holdsVip: false })
    for (const a of ['b', 'm', 'other']) await d.vrrpAction(ep, a, 'start')
    const holds = async () => Promise.all(['m', 'b', 'other'].map(async a => (await d.vrrpStatus(ep, a)).holdsVip))
    assert.deepEqual(await holds(), [true, false, true], 'one holder per VRRP instance')
    await d.vrrpAction(ep, 'm', 'stop')
    assert.deepEqual(await holds(), [false, true, true])
    await d.vrrpAction(ep, 'm', 'start')
    await d.putVrrp(ep, 'm', spec(100, '10.0.0.2', '10.0.0.4'))
    assert.equal(d.keepalived('m')?.running, true, 'a new spec leaves a running keepalived running')
    await d.deleteAmphora(ep, 'm')
    assert.deepEqual(await holds(), [false, true, true], 'a deleted amphora runs no keepalived; its peer holds the VIP')
  })
})
