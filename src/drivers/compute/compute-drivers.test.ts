import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadConfig } from '../../common/config/load.js'
import { silentLogger } from '../../common/logging.js'
import { dataPlaneModeFor, resolveComputeDriver } from '../../common/config/compute-mode.js'
import { LoopbackComputeDriver } from './loopback/loopback-compute-driver.js'
import { NetnsComputeDriver } from './netns/netns-compute-driver.js'
import { NoopComputeDriver, noopComputeId } from './noop/noop-compute-driver.js'
import { IpCommand } from '../../common/linux/ip-command.js'
import { computeOwner, createComputeDriver } from './registry.js'

const signal = new AbortController().signal
const spec = (amphoraId: string) => ({ amphoraId, loadBalancerId: 'lb-1' })

test('when compute_driver is auto, then root gets netns and anyone else loopback; explicit names stay', () => {
  assert.equal(resolveComputeDriver('auto', 0), 'netns')
  assert.equal(resolveComputeDriver('auto', 1000), 'loopback')
  assert.equal(resolveComputeDriver('loopback', 0), 'loopback')
  assert.equal(resolveComputeDriver('compute_noop_driver', 0), 'compute_noop_driver')
  assert.equal(dataPlaneModeFor({ compute_driver: 'compute_noop_driver' }, 0), 'loopback')
  assert.equal(dataPlaneModeFor({ compute_driver: 'auto' }, 0), 'netns')
  assert.equal(loadConfig(undefined, {}).controller_worker.compute_driver, 'auto')
  assert.throws(() => loadConfig(undefined, { OCTAVIA_TS__controller_worker__compute_driver: 'nova' }),
    /\[controller_worker\] compute_driver: expected one of auto, netns, loopback, compute_noop_driver/)
})

test('when the registry builds a driver, then the configured (or uid-resolved) one comes back', () => {
  const config = (v: string) => loadConfig(undefined, { OCTAVIA_TS__controller_worker__compute_driver: v })
  const log = silentLogger()
  assert.ok(createComputeDriver(config('auto'), { log, uid: 0 }) instanceof NetnsComputeDriver)
  assert.ok(createComputeDriver(config('auto'), { log, uid: 1000 }) instanceof LoopbackComputeDriver)
  assert.ok(createComputeDriver(config('netns'), { log, uid: 1000 }) instanceof NetnsComputeDriver)
  assert.ok(createComputeDriver(config('compute_noop_driver'), { log }) instanceof NoopComputeDriver)
})

test('when the owner mark is derived, then it follows the agent base directory: base_path, else <state_dir>/amphorae', () => {
  const config = (env: Record<string, string>) => loadConfig(undefined, env)
  const a = computeOwner(config({ OCTAVIA_TS__DEFAULT__state_dir: '/srv/a' }))
  assert.match(a, /^[0-9a-f]{16}$/)
  assert.equal(computeOwner(config({ OCTAVIA_TS__DEFAULT__state_dir: '/srv/a' })), a, 'the same paths give the same mark (after a wiped state too)')
  assert.notEqual(computeOwner(config({ OCTAVIA_TS__DEFAULT__state_dir: '/srv/b' })), a, 'another deployment, another mark')
  assert.equal(computeOwner(config({ OCTAVIA_TS__DEFAULT__state_dir: '/srv/b', OCTAVIA_TS__haproxy_amphora__base_path: '/srv/a/amphorae' })), a,
    'the base directory decides, not the state directory')
})

test('when a loopback amphora is built and deleted, then its slot marker comes and goes and delete is idempotent', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'octavia-loopback-'))
  try {
    const driver = new LoopbackComputeDriver(join(dir, 'compute', 'loopback'))
    const instance = await driver.build(spec('a1b2c3d4-0000-4000-8000-000000000001'), signal)
    assert.deepEqual(instance, { computeId: 'loopback:a1b2c3d4-0000-4000-8000-000000000001', netns: null })
    assert.deepEqual(await driver.build(spec('a1b2c3d4-0000-4000-8000-000000000001'), signal), instance, 'idempotent')
    assert.equal(await driver.exists(instance.computeId), true)
    assert.equal(await driver.exists('loopback:other'), false)
    assert.equal(await driver.exists('amp-x'), false)
    await driver.delete(instance.computeId, signal)
    await driver.delete(instance.computeId, signal)
    assert.equal(await driver.exists(instance.computeId), false)
    assert.deepEqual(await readdir(join(dir, 'compute', 'loopback')), [])
    assert.deepEqual(driver.instance(instance.computeId), instance)
    assert.deepEqual(await driver.hostInstances(), [])
    await driver.build(spec('a1b2c3d4-0000-4000-8000-000000000002'), signal)
    assert.deepEqual(await driver.hostInstances(),
      [{ computeId: 'loopback:a1b2c3d4-0000-4000-8000-000000000002', amphoraId: 'a1b2c3d4-0000-4000-8000-000000000002' }])
    assert.equal(await driver.ownedHere('loopback:a1b2c3d4-0000-4000-8000-000000000002'), true)
    assert.equal(await driver.ownedHere(instance.computeId), false, 'a deleted slot is nobody\'s')
    assert.throws(() => driver.instance('amp-x'), /'amp-x' is not a loopback compute id/)
    await assert.rejects(driver.delete('amp-x', signal), /'amp-x' is not a loopback compute id/)
    await assert.rejects(driver.build(spec('../etc'), signal), /cannot name a loopback slot/)
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
})

test('when the noop compute driver builds and deletes, then it only remembers', async () => {
  const driver = new NoopComputeDriver()
  const i = await driver.build(spec('amp1'), signal)
  assert.deepEqual(i, { computeId: noopComputeId('amp1'), netns: null })
  assert.match(i.computeId, /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, 'a UUID, as Octavia hands out')
  assert.deepEqual(await driver.build(spec('amp1'), signal), i, 'a build run again gives the same instance')
  assert.deepEqual(driver.built, [i.computeId])
  assert.deepEqual(await driver.hostInstances(), [{ computeId: i.computeId, amphoraId: 'amp1' }])
  assert.equal(await driver.ownedHere(i.computeId), true)
  assert.deepEqual(driver.instance(i.computeId), i)
  assert.equal(await driver.exists(i.computeId), true)
  await driver.delete(i.computeId, signal)
  await driver.delete(i.computeId, signal)
  assert.equal(await driver.exists(i.computeId), false)
})

test('when the netns driver is given a foreign compute id, then it refuses to delete it and says it does not exist', async () => {
  const driver = new NetnsComputeDriver({ ip: new IpCommand(silentLogger()), log: silentLogger(), owner: '0123456789abcdef' })
  await assert.rejects(driver.delete('my-own-namespace', signal), /'my-own-namespace' is not an amphora namespace/)
  assert.equal(await driver.ownedHere('my-own-namespace'), false)
  assert.equal(await driver.ownedHere('amp-no-such-namespace-here'), false, 'a missing namespace is nobody\'s')
  assert.deepEqual(driver.instance('amp-1234abcd'), { computeId: 'amp-1234abcd', netns: 'amp-1234abcd' })
  assert.throws(() => driver.instance('my-own-namespace'), /is not an amphora namespace/)
  assert.equal(await driver.exists('my-own-namespace'), false)
  await assert.rejects(driver.build(spec('../x'), signal), /cannot name a namespace/)
})
