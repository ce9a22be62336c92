import { TerminalError } from '../../common/errors.js'
import { findAmphora } from '../../db/repositories/amphora-repository.js'
import type { AmphoraRow } from '../../db/schema.js'
import { OCTAVIA_TS_NAMESPACE, uuidV5 } from '../../common/net/stable-id.js'
import type { Task, TaskContext, TaskInput } from '../engine/task.js'

/**
 * Amphora slots: the amphorae one job builds. Slot 0 is the only amphora of
 * a SINGLE load balancer, the MASTER of an ACTIVE_STANDBY one, or the
 * replacement of the first amphora a failover replaces; slot 1 is the
 * BACKUP, or the second replacement. The tasks of a slot carry the slot in
 * their name (slot 0 keeps the plain name) so that their recorded results
 * stay apart; a slot the job turns out not to need (slot 1 of a SINGLE load
 * balancer) is skipped by every task of it.
 */
export type AmphoraSlot = 0 | 1

/** The name of a slot's task: `base` for slot 0, `base-<slot>` otherwise. */
export const slotTaskName = (base: string, slot: AmphoraSlot): string => (slot === 0 ? base : `${base}-${slot}`)

/** Name of the task that creates a slot's amphora row; its result names the amphora (null: slot unused). */
export const CREATE_AMPHORA_RECORD = 'create-amphora-record'

/** What CREATE_AMPHORA_RECORD records. */
export interface AmphoraRecordResult {
  /** The slot's amphora, or null when the job does not need this slot. */
  readonly amphoraId: string | null
}

/** The recorded result of a slot's task `base`, if it ran. */
export function slotResult<T>(input: TaskInput<unknown>, base: string, slot: AmphoraSlot): T | undefined {
  return input.results[slotTaskName(base, slot)] as T | undefined
}

/** Whether the job found it does not need this slot (every later task of the slot does nothing). */
export const slotUnused = (input: TaskInput<unknown>, slot: AmphoraSlot): boolean =>
  slotResult<AmphoraRecordResult>(input, CREATE_AMPHORA_RECORD, slot)?.amphoraId === null

/**
 * The slot's amphora: the recorded one, else the id derived from the job and
 * the slot (the same on every run of the job, so a re-run finds the amphora
 * an earlier attempt created).
 */
export function amphoraIdOf(ctx: TaskContext, input: TaskInput<unknown>, slot: AmphoraSlot = 0): string {
  return slotResult<AmphoraRecordResult>(input, CREATE_AMPHORA_RECORD, slot)?.amphoraId ??
    uuidV5(OCTAVIA_TS_NAMESPACE, `amphora:${ctx.jobId}:${slot}`)
}

/** The slot's amphora row; throws when it is missing (a broken flow order). */
export async function amphoraOfJob(ctx: TaskContext, input: TaskInput<unknown>, slot: AmphoraSlot = 0): Promise<AmphoraRow> {
  const id = amphoraIdOf(ctx, input, slot)
  const row = await findAmphora(ctx.db, id)
  if (!row) throw new TerminalError(`amphora ${id} of this job is missing`)
  return row
}

/**
 * `task` as one of slot `slot`'s tasks: named for the slot, and doing
 * nothing (execute and revert) when the job does not need the slot. For
 * tasks that work on the whole load balancer but belong to a slot's steps
 * (a failover pushes the configuration once per replaced amphora).
 */
export function inSlot<P>(slot: AmphoraSlot, task: Task<P, unknown>): Task<P, unknown> {
  return {
    name: slotTaskName(task.name, slot),
    execute: async (ctx, input) => (slotUnused(input, slot) ? null : task.execute(ctx, input)),
    revert: async (ctx, result, input) => {
      if (!slotUnused(input, slot)) await task.revert(ctx, result, input)
    },
  }
}

/**
 * The payloads slot tasks run with: a load balancer's operations name it,
 * an amphora failover names the amphora (its job carries the load balancer).
 */
export type SlotPayload = { readonly loadBalancerId?: string; readonly amphoraId?: string }

/** The load balancer a slot's amphora serves: the payload's, else the job's. */
export function slotLoadBalancerId(ctx: TaskContext, input: TaskInput<SlotPayload>): string {
  const id = input.payload.loadBalancerId ?? ctx.loadBalancerId
  if (!id) throw new TerminalError('the job names no load balancer')
  return id
}
