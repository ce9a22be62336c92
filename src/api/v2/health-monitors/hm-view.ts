import { notFound } from '../../../common/errors.js'
import type { Executor } from '../../../db/database.js'
import { findHealthMonitor } from '../../../db/repositories/health-monitor-repository.js'
import { tagsOf } from '../../../db/repositories/tag-repository.js'
import { renderHealthMonitor, type HealthMonitorResponse } from './render.js'

/** Reads and renders one health monitor with its tags (404 `Health Monitor <id> not found.`). */
export async function loadHealthMonitorView(db: Executor, id: string): Promise<HealthMonitorResponse> {
  const row = await findHealthMonitor(db, id)
  if (!row) throw notFound('Health Monitor', id)
  const tags = await tagsOf(db, [id])
  return renderHealthMonitor(row, tags.get(id) ?? [])
}
