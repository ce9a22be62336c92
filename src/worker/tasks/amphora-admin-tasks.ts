import { findAmphora } from '../../db/repositories/amphora-repository.js'
import { endpointOf } from '../../drivers/amphora/amphora-config-sync.js'
import type { AmphoraFlowDeps } from '../../drivers/amphora-flow-deps.js'
import { AmphoraStatus } from '../../model/statuses.js'
import { nothingToRevert, type Task } from '../engine/task.js'
import { tearDownAmphora } from './amphora-teardown.js'
import { instanceOf } from './compute-tasks.js'

/**
 * Tasks of the admin amphora operations (`/v2/octavia/amphorae/{id}/…`) for
 * the amphora provider. Each works on the amphora of the payload and is
 * idempotent.
 */

type AmpPayload = { amphoraId: string }

/** Amphora delete (an ERROR amphora the API set PENDING_DELETE): torn down and DELETED. */
export function deleteAmphoraResources(d: AmphoraFlowDeps): Task<AmpPayload, null> {
  return {
    name: 'delete-amphora',
    execute: async (ctx, { payload }) => {
      const amp = await findAmphora(ctx.db, payload.amphoraId)
      if (amp && amp.status !== AmphoraStatus.DELETED) await tearDownAmphora(d, ctx, amp)
      return null
    },
    revert: nothingToRevert,
  }
}

/**
 * Agent configuration update: one agent serves every amphora of its host
 * and reads its configuration at start, so there is nothing per amphora to
 * push; the amphora's registration (its namespace) is sent again.
 */
export function refreshAmphoraRegistration(d: AmphoraFlowDeps): Task<AmpPayload, null> {
  return {
    name: 'update-amphora-agent-config',
    execute: async (ctx, { payload }) => {
      const amp = await findAmphora(ctx.db, payload.amphoraId)
      if (!amp?.compute_id || amp.status === AmphoraStatus.DELETED) return null
      await d.agent.registerAmphora(endpointOf(d, amp), amp.id, { netns: instanceOf(d.compute, amp.compute_id).netns }, { signal: ctx.signal })
      return null
    },
    revert: nothingToRevert,
  }
}
