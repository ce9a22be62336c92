import type { Executor } from '../database.js'

/** Replaces the tags of one resource (Octavia's PUT semantics: the list replaces). */
export async function setTags(tx: Executor, resourceId: string, tags: readonly string[]): Promise<void> {
  await tx.deleteFrom('tag').where('resource_id', '=', resourceId).execute()
  const unique = [...new Set(tags)]
  if (unique.length) await tx.insertInto('tag').values(unique.map(tag => ({ resource_id: resourceId, tag }))).execute()
}

/** Tags of many resources at once, in insertion-independent (sorted) order. */
export async function tagsOf(db: Executor, resourceIds: readonly string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>(resourceIds.map(id => [id, []]))
  if (resourceIds.length === 0) return out
  for (let i = 0; i < resourceIds.length; i += 500) {
    const rows = await db.selectFrom('tag').select(['resource_id', 'tag'])
      .where('resource_id', 'in', resourceIds.slice(i, i + 500)).orderBy('tag').execute()
    for (const r of rows) out.get(r.resource_id)?.push(r.tag)
  }
  return out
}

/** Removes the tags of deleted resources. */
export async function deleteTags(tx: Executor, resourceIds: readonly string[]): Promise<void> {
  if (resourceIds.length) await tx.deleteFrom('tag').where('resource_id', 'in', [...resourceIds]).execute()
}
