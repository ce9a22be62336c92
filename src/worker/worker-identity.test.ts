import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { hostname } from 'node:os'
import { isDeadLocalOwner, newWorkerId } from './worker-identity.js'
import { nextJobPerLoadBalancer } from './controller-worker.js'

const host = hostname().slice(0, 40)

test('when a worker id is made, then it names this host and process', () => {
  assert.match(newWorkerId(), new RegExp(`^${host.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/${process.pid}/[0-9a-f]{8}$`))
})

test('when the owner is a process of this host that has exited, then it is dead; otherwise not', () => {
  const gone = spawnSync(process.execPath, ['-e', '']).pid
  assert.equal(isDeadLocalOwner(`${host}/${gone}/00000000`), true)
  assert.equal(isDeadLocalOwner(`${host}/${process.pid}/00000000`), false, 'this process')
  assert.equal(isDeadLocalOwner(`${host}/${process.ppid}/00000000`), false, 'a live process')
  assert.equal(isDeadLocalOwner(`elsewhere-${host}/${gone}/00000000`), false, 'another host')
  assert.equal(isDeadLocalOwner('garbage'), false)
  assert.equal(isDeadLocalOwner(null), false)
})

test('when unfinished jobs are listed, then each load balancer offers its in-flight job, else its oldest', () => {
  const job = (id: string, lb: string | null, state: string) => ({ id, load_balancer_id: lb, state, lease_owner: null, lease_expires_at: null })
  const picked = nextJobPerLoadBalancer([
    job('1', 'a', 'PENDING'), job('2', 'b', 'PENDING'), job('3', 'a', 'RUNNING'), job('4', 'b', 'PENDING'),
    job('5', null, 'PENDING'), job('6', null, 'PENDING'),
  ])
  assert.deepEqual(picked.map(j => j.id), ['3', '2', '5', '6'])
})
