import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { LbaasError } from '../../../common/errors.js'
import { createNoopProviderDriver } from '../noop/noop-provider-driver.js'
import { checkAmphoraListenerOptions, checkAmphoraPoolOptions, checkAmphoraTopology } from './amphora-option-checks.js'

describe('checkAmphoraTopology', () => {
  it('when ACTIVE_STANDBY is asked of the amphora provider on loopback amphorae, then the answer is a 501', () => {
    for (const provider of ['amphora', 'octavia']) {
      assert.throws(() => checkAmphoraTopology(provider, 'ACTIVE_STANDBY', { compute_driver: 'loopback' }), (err: unknown) =>
        err instanceof LbaasError && err.status === 501 && /ACTIVE_STANDBY topology with loopback amphorae/.test(err.message))
    }
  })
  it('when amphorae run in namespaces, or the topology is SINGLE, or the provider is another, then nothing is refused', () => {
    checkAmphoraTopology('amphora', 'ACTIVE_STANDBY', { compute_driver: 'netns' })
    checkAmphoraTopology('amphora', 'ACTIVE_STANDBY', { compute_driver: 'compute_noop_driver' })
    checkAmphoraTopology('amphora', 'SINGLE', { compute_driver: 'loopback' })
    createNoopProviderDriver({ task_delay_ms: 0 }).checkTopology('ACTIVE_STANDBY')
  })
  it('when compute_driver is auto, then the uid decides: root runs namespaces', () => {
    const asRoot = process.geteuid?.() === 0
    const attempt = () => checkAmphoraTopology('amphora', 'ACTIVE_STANDBY', { compute_driver: 'auto' })
    if (asRoot) attempt()
    else assert.throws(attempt, LbaasError)
  })
})

describe('checkAmphoraListenerOptions and checkAmphoraPoolOptions', () => {
  it('when TERMINATED_HTTPS or pool certificates are asked of the amphora provider, then they are served', () => {
    checkAmphoraListenerOptions('amphora', 'TERMINATED_HTTPS')
    checkAmphoraPoolOptions('amphora', { protocol: 'HTTP', tlsContainerRef: 'ref-1', caTlsContainerRef: 'ref-2', crlContainerRef: 'ref-3' })
  })
  it('when UDP or SCTP are asked of the amphora provider, then the answer is still a 501', () => {
    const is501 = (err: unknown) => err instanceof LbaasError && err.status === 501
    assert.throws(() => checkAmphoraListenerOptions('amphora', 'UDP'), is501)
    assert.throws(() => checkAmphoraPoolOptions('octavia', { protocol: 'SCTP' }), is501)
  })
})
