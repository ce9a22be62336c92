import { randomUUID } from 'node:crypto'
import { nowIso } from '../../common/time.js'
import type { Executor } from '../database.js'

/** What the API asks the worker to do: an octavia-lib provider operation on ids. */
export interface JobRequest {
  /** octavia-lib method name: loadbalancer_create, listener_update, member_batch_update, ... */
  readonly operation: string
  readonly provider: string
  readonly loadBalancerId: string | null
  /** Ids and small option values only (e.g. `{ listenerId }`, `{ cascade: true }`). */
  readonly payload: Readonly<Record<string, unknown>>
}

/**
 * Records a job. Call it inside the API transaction that set the PENDING_*
 * status, then publish the returned id on the bus after commit.
 */
export async function insertJob(tx: Executor, req: JobRequest): Promise<string> {
  const id = randomUUID()
  await tx.insertInto('job').values({
    id,
    operation: req.operation,
    provider: req.provider,
    load_balancer_id: req.loadBalancerId,
    payload: JSON.stringify(req.payload),
    state: 'PENDING',
    step: 0,
    results: '{}',
    attempts: 0,
    lease_owner: null,
    lease_expires_at: null,
    error: null,
    created_at: nowIso(),
    updated_at: null,
  }).execute()
  return id
}
