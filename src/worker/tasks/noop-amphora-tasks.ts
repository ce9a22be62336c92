import { TerminalError } from '../../common/errors.js'
import { setAmphoraStatus } from '../../db/repositories/amphora-admin-repository.js'
import {
  amphoraById, anyAmphoraExists, insertAmphorae, liveAmphoraeOf, markAmphoraeOfDeleted, noopAmphoraTarget, type NoopAmphoraTarget,
} from '../../db/repositories/noop-amphora-repository.js'
import type { AmphoraRow } from '../../db/schema.js'
import { noopAmphoraId, noopAmphoraRow } from '../providers/noop/noop-amphora-records.js'
import { roleOf, rolesOf } from '../../model/amphora-roles.js'
import { AmphoraStatus } from '../../model/statuses.js'
import { nothingToRevert, type Task } from '../engine/task.js'

/**
 * The noop provider's amphora records: what Octavia's flows do to amphora
 * rows, without building anything. Each task works in one transaction and
 * is idempotent: the rows a job adds have ids derived from the job, so a
 * task that runs again sees its rows and does nothing.
 */

/**
 * Load balancer create: one STANDALONE amphora (SINGLE) or a MASTER and a
 * BACKUP (ACTIVE_STANDBY), ALLOCATED. Returns their ids; on revert they go ERROR.
 */
export const createNoopAmphorae: Task<{ loadBalancerId: string }, string[]> = {
  name: 'create-amphorae',
  execute: async (ctx, { payload }) => ctx.db.transaction().execute(async tx => {
    const target = await noopAmphoraTarget(tx, payload.loadBalancerId)
    if (!target) throw new TerminalError(`load balancer ${payload.loadBalancerId} does not exist`)
    const roles = rolesOf(target.topology)
    const ids = roles.map(role => noopAmphoraId(ctx.jobId, role))
    if (!(await anyAmphoraExists(tx, ids))) {
      await insertAmphorae(tx, roles.map((role, i) => noopAmphoraRow(ids[i], payload.loadBalancerId, role, target)))
    }
    return ids
  }),
  revert: async (ctx, ids) => {
    if (!ids) return
    await setAmphoraStatus(ctx.db, ids, AmphoraStatus.ERROR).catch(err => ctx.log.warn({ err }, 'could not mark amphorae ERROR'))
  },
}

/** Load balancer delete: its amphorae DELETED (the rows stay, as in Octavia). */
export const markNoopAmphoraeDeleted: Task<{ loadBalancerId: string }, null> = {
  name: 'delete-amphorae',
  execute: async (ctx, { payload }) => {
    await markAmphoraeOfDeleted(ctx.db, payload.loadBalancerId)
    return null
  },
  revert: nothingToRevert,
}

/**
 * Load balancer failover: every amphora is replaced by a new one in the same
 * role (the old one DELETED); roles the topology needs but no amphora holds
 * get a new amphora, amphorae in a role it does not need are DELETED. The
 * BACKUP is replaced before the MASTER, as Octavia does.
 */
export const failoverNoopAmphorae: Task<{ loadBalancerId: string }, string[]> = {
  name: 'failover-amphorae',
  execute: async (ctx, { payload }) => ctx.db.transaction().execute(async tx => {
    const lbId = payload.loadBalancerId
    const target = await noopAmphoraTarget(tx, lbId)
    if (!target) throw new TerminalError(`load balancer ${lbId} does not exist`)
    const roles = [...rolesOf(target.topology)].reverse()
    const ids = roles.map(role => noopAmphoraId(ctx.jobId, role))
    if (await anyAmphoraExists(tx, ids)) return ids
    const old = await liveAmphoraeOf(tx, lbId)
    await setAmphoraStatus(tx, old.map(a => a.id), AmphoraStatus.DELETED)
    await insertAmphorae(tx, roles.map((role, i) => noopAmphoraRow(ids[i], lbId, role, target)))
    return ids
  }),
  revert: nothingToRevert,
}

/** What an amphora failover did: the new amphora's id, or null when there was nothing to replace. */
export interface AmphoraFailoverResult { readonly replacementId: string | null }

/**
 * Amphora failover: a DELETED or missing amphora is left alone; a spare (no
 * load balancer) is just DELETED; otherwise a new amphora takes its role and
 * VRRP settings and the old one is DELETED.
 */
export const failoverNoopAmphora: Task<{ amphoraId: string }, AmphoraFailoverResult> = {
  name: 'failover-amphora',
  execute: async (ctx, { payload }) => ctx.db.transaction().execute(async tx => {
    const replacementId = noopAmphoraId(ctx.jobId, payload.amphoraId)
    if (await anyAmphoraExists(tx, [replacementId])) return { replacementId }
    const amp = await amphoraById(tx, payload.amphoraId)
    if (!amp || amp.status === AmphoraStatus.DELETED) return { replacementId: null }
    const target = amp.load_balancer_id === null ? undefined : await noopAmphoraTarget(tx, amp.load_balancer_id)
    await setAmphoraStatus(tx, [amp.id], AmphoraStatus.DELETED)
    if (!target || amp.load_balancer_id === null) return { replacementId: null }
    await insertAmphorae(tx, [replacementOf(amp, replacementId, amp.load_balancer_id, target)])
    return { replacementId }
  }),
  revert: nothingToRevert,
}

/** A new amphora for `amp`'s place: same role and VRRP settings, everything else fresh. */
function replacementOf(amp: AmphoraRow, id: string, lbId: string, target: NoopAmphoraTarget): AmphoraRow {
  const row = noopAmphoraRow(id, lbId, roleOf(amp.role), target)
  return { ...row, role: amp.role, vrrp_id: amp.vrrp_id, vrrp_priority: amp.vrrp_priority, vrrp_interface: amp.vrrp_interface }
}

/** Amphora delete: the (PENDING_DELETE) amphora DELETED. */
export const deleteNoopAmphora: Task<{ amphoraId: string }, null> = {
  name: 'delete-amphora',
  execute: async (ctx, { payload }) => {
    await setAmphoraStatus(ctx.db, [payload.amphoraId], AmphoraStatus.DELETED)
    return null
  },
  revert: nothingToRevert,
}
