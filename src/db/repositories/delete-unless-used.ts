import type { Kysely } from 'kysely'
import type { DB } from '../schema.js'

class InUse extends Error {}

/**
 * Deletes one flavor or availability zone unless a load balancer (not
 * DELETED) uses it, in one transaction. The row is deleted first, which waits
 * for every load balancer create holding it (read with a lock); the count then
 * sees what they committed, and a use rolls the delete back.
 */
export async function deleteUnlessUsedByLoadBalancers(
  db: Kysely<DB>, target: { table: 'flavor'; key: string } | { table: 'availability_zone'; key: string },
): Promise<'deleted' | 'missing' | 'in_use'> {
  const [keyColumn, lbColumn] = target.table === 'flavor' ? ['id', 'flavor_id'] as const : ['name', 'availability_zone'] as const
  try {
    return await db.transaction().execute(async tx => {
      const res = await tx.deleteFrom(target.table).where(keyColumn as never, '=', target.key as never).executeTakeFirst()
      if (Number(res.numDeletedRows) === 0) return 'missing'
      const used = await tx.selectFrom('load_balancer').select('id').where(lbColumn, '=', target.key)
        .where('provisioning_status', '!=', 'DELETED').limit(1).executeTakeFirst()
      if (used) throw new InUse()
      return 'deleted'
    })
  } catch (err) {
    if (err instanceof InUse) return 'in_use'
    throw err
  }
}
