import { test } from 'node:test'
import assert from 'node:assert/strict'
import { balanceDirectives } from './balance-directives.js'
import { RenderError } from './render-error.js'
import { member, pool } from '../../../../test/golden/haproxy/view-builders.js'

const sourceIpPort = (...weights: number[]) => {
  const members = weights.map((weight, i) => member(i + 1, { weight }))
  return balanceDirectives(pool(1, { lbAlgorithm: 'SOURCE_IP_PORT', members }), members)
}

test('when a pool balances ROUND_ROBIN, LEAST_CONNECTIONS or SOURCE_IP, then one balance line and the weights as they are', () => {
  const of = (lbAlgorithm: string) => balanceDirectives(pool(1, { lbAlgorithm }), [member(1, { weight: 3 })])
  assert.deepEqual(of('ROUND_ROBIN'), { lines: ['balance roundrobin'], weightScale: 1 })
  assert.deepEqual(of('LEAST_CONNECTIONS'), { lines: ['balance leastconn'], weightScale: 1 })
  assert.deepEqual(of('SOURCE_IP'), { lines: ['balance source'], weightScale: 1 })
})

test('when a pool balances SOURCE_IP_PORT, then a consistent hash of the address and the port stored by a content rule', () => {
  assert.deepEqual(sourceIpPort(1, 1).lines, [
    'balance hash src,concat(:,txn.src_port)',
    'hash-type consistent sdbm avalanche',
    'tcp-request content set-var(txn.src_port) src_port',
  ])
})

test('when a SOURCE_IP_PORT pool is weighted, then the weights are scaled by up to 16 and never beyond 256', () => {
  assert.equal(sourceIpPort(1, 1, 1).weightScale, 16)
  assert.equal(sourceIpPort(0, 0).weightScale, 16, 'drained members: 0 stays 0')
  assert.equal(sourceIpPort().weightScale, 16, 'no member')
  assert.equal(sourceIpPort(1, 16).weightScale, 16)
  assert.equal(sourceIpPort(1, 17).weightScale, 15)
  assert.equal(sourceIpPort(3, 100).weightScale, 2)
  assert.equal(sourceIpPort(1, 256).weightScale, 1)
  for (const w of [1, 2, 7, 16, 17, 33, 100, 129, 255, 256]) assert.ok(sourceIpPort(1, w).weightScale * w <= 256, `weight ${w}`)
})

test('when the algorithm is unknown, then RenderError names it', () => {
  assert.throws(() => balanceDirectives(pool(1, { lbAlgorithm: 'LEAST_TIME' }), []),
    (e: unknown) => e instanceof RenderError && /lb_algorithm LEAST_TIME/.test(e.message))
})
