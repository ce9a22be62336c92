import type { Executor } from '../database.js'
import type { ContainerSecretRow, SecretContainerRow } from '../schema.js'
import type { Page } from './secret-repository.js'

/** A container with its named secret references, in name order. */
export interface ContainerWithRefs {
  readonly container: SecretContainerRow
  readonly refs: readonly Pick<ContainerSecretRow, 'name' | 'secret_id'>[]
}

/** Inserts a container and its references. Run it in a transaction. */
export async function insertContainer(db: Executor, container: SecretContainerRow, refs: readonly ContainerSecretRow[]): Promise<void> {
  await db.insertInto('secret_container').values(container).execute()
  if (refs.length > 0) await db.insertInto('container_secret').values([...refs]).execute()
}

/** The container `id` of any project with its references, or undefined. */
export async function findContainer(db: Executor, id: string): Promise<ContainerWithRefs | undefined> {
  const container = await db.selectFrom('secret_container').selectAll().where('id', '=', id).executeTakeFirst()
  if (!container) return undefined
  return { container, refs: (await refsOf(db, [id])).get(id) ?? [] }
}

/** A page of a project's containers, oldest first, with their total; `name` is a LIKE pattern, `type` exact. */
export async function listContainers(
  db: Executor, projectId: string, filters: { name?: string; type?: string }, page: { offset: number; limit: number },
): Promise<Page<ContainerWithRefs>> {
  let q = db.selectFrom('secret_container').where('project_id', '=', projectId)
  if (filters.name) q = q.where('name', 'like', filters.name)
  if (filters.type) q = q.where('type', '=', filters.type)
  const counted = await q.select(eb => eb.fn.countAll<number>().as('n')).executeTakeFirst()
  const rows = await q.selectAll().orderBy('created_at').orderBy('id').limit(page.limit).offset(page.offset).execute()
  const refs = await refsOf(db, rows.map(r => r.id))
  return { rows: rows.map(container => ({ container, refs: refs.get(container.id) ?? [] })), total: Number(counted?.n ?? 0) }
}

/** Deletes a container and its references (not the secrets); false when there was none. Run it in a transaction. */
export async function deleteContainer(db: Executor, id: string): Promise<boolean> {
  await db.deleteFrom('container_secret').where('container_id', '=', id).execute()
  const res = await db.deleteFrom('secret_container').where('id', '=', id).executeTakeFirst()
  return Number(res.numDeletedRows) === 1
}

async function refsOf(db: Executor, ids: readonly string[]): Promise<Map<string, ContainerSecretRow[]>> {
  const byContainer = new Map<string, ContainerSecretRow[]>()
  if (ids.length === 0) return byContainer
  const rows = await db.selectFrom('container_secret').selectAll().where('container_id', 'in', [...ids]).orderBy('name').execute()
  for (const r of rows) byContainer.set(r.container_id, [...(byContainer.get(r.container_id) ?? []), r])
  return byContainer
}
