import assert from 'node:assert/strict'
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { loadConfig } from '../../common/config/load.js'
import { NoopAmphoraDriver } from './noop/noop-amphora-driver.js'
import { createAmphoraDriver } from './registry.js'

const config = (env: Record<string, string>) => loadConfig(undefined, env)
const signal = new AbortController().signal

test('when amphora_driver is not set, then it is the REST driver; another name is refused', () => {
  assert.equal(config({}).controller_worker.amphora_driver, 'amphora_haproxy_rest_driver')
  assert.throws(() => config({ OCTAVIA_TS__controller_worker__amphora_driver: 'amphora_ssh_driver' }),
    /\[controller_worker\] amphora_driver: expected one of amphora_haproxy_rest_driver, amphora_noop_driver/)
})

test('when amphora_driver is amphora_noop_driver, then the noop driver comes back with what Octavia records in its noop gate', async () => {
  const parts = createAmphoraDriver(config({
    OCTAVIA_TS__controller_worker__amphora_driver: 'amphora_noop_driver', OCTAVIA_TS__certificates__cert_validity_time: '86400',
  }))
  assert.ok(parts.agent instanceof NoopAmphoraDriver)
  assert.deepEqual([parts.heartbeats, parts.agentEndpoint], [false, { host: '192.0.2.1' }])
  const inOneDay = (d: Date | null | undefined) => Math.abs((d?.getTime() ?? 0) - Date.now() - 86_400_000) < 60_000
  assert.ok(inOneDay(await parts.certificateExpiry({ host: '192.0.2.1' }, signal)), 'valid for cert_validity_time from now')
  const renewed = await parts.renewCertificate?.('192.0.2.1', signal)
  assert.ok(inOneDay(renewed?.notAfter))
  assert.match(renewed?.serialNumber ?? '', /^[0-9A-F]{32}$/)
})

test('when the REST driver is built, then nothing is read or written before its first call', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'octavia-amphora-driver-'))
  try {
    const parts = createAmphoraDriver(config({ OCTAVIA_TS__DEFAULT__state_dir: dir }))
    assert.equal(parts.agent instanceof NoopAmphoraDriver, false)
    assert.deepEqual([parts.heartbeats, parts.agentEndpoint, parts.renewCertificate], [true, undefined, undefined],
      'the local agent\'s address, heartbeats, renewal over mutual TLS')
    assert.deepEqual(await readdir(dir), [], 'no TLS material issued yet')
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
})
