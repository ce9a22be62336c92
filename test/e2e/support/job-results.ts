import type { AmphoraStack } from './amphora-stack.js'

/**
 * The recorded result of `task` in the newest job of `operation` (what the
 * flow did on the amphora: `update-amphora-configs` records, per amphora,
 * 'runtime' for changes through HAProxy's runtime API, 'reloaded' for a
 * reload).
 */
export async function taskResult(stack: AmphoraStack, operation: string, task: string): Promise<unknown> {
  const job = await stack.database.db.selectFrom('job').select(['results']).where('operation', '=', operation)
    .orderBy('created_at', 'desc').executeTakeFirstOrThrow()
  return (JSON.parse(job.results) as Record<string, unknown>)[task]
}
