import { randomUUID } from 'node:crypto'
import type { Transaction } from 'kysely'
import {
  duplicateHealthMonitor, healthMonitorOfPool, insertHealthMonitorRow,
} from '../../../db/repositories/health-monitor-repository.js'
import { setTags } from '../../../db/repositories/tag-repository.js'
import type { DB, PoolRow } from '../../../db/schema.js'
import { HEALTH_MONITOR_FIELDS } from '../../../model/health-monitor-fields.js'
import type { ApiDeps } from '../../deps.js'
import { pendingCreateColumns } from '../pending-create.js'
import { checkQuota } from '../quotas/check-quota.js'
import { checkUrlPath, parseHttpVersion } from './hm-fields.js'
import { checkCreate, checkPingAllowed, checkPoolCompatibility } from './hm-rules.js'
import type { HealthMonitorCreate } from './schema.js'

/**
 * Inserts the health monitor of `pool` with PENDING_CREATE/OFFLINE inside the
 * caller's transaction, without locking or jobs. Validates Octavia's rules
 * (400s: url_path, http_version, PING allowed, pool protocol compatibility,
 * mandatory fields, HTTP-only fields, domain_name; 409 `This pool already has
 * a health monitor`) and fills the HTTP defaults. Returns the new id.
 */
export async function insertHealthMonitor(
  tx: Transaction<DB>, deps: ApiDeps, pool: PoolRow, body: HealthMonitorCreate, projectId: string | null,
): Promise<string> {
  await checkQuota(tx, deps, projectId, 'health_monitor')
  checkUrlPath(body.url_path)
  const httpVersion = parseHttpVersion(body.http_version) ?? null
  checkPingAllowed(deps, body.type)
  checkPoolCompatibility(deps, pool.protocol, body.type, body.delay)
  const http = checkCreate({ ...body, http_version: httpVersion })
  if (await healthMonitorOfPool(tx, pool.id)) throw duplicateHealthMonitor()
  const id = randomUUID()
  await insertHealthMonitorRow(tx, {
    pool_id: pool.id,
    name: body.name ?? null,
    type: body.type as string,
    delay: body.delay as number,
    timeout: body.timeout as number,
    rise_threshold: body.max_retries as number,
    fall_threshold: body.max_retries_down ?? HEALTH_MONITOR_FIELDS.max_retries_down.default,
    ...http,
    http_version: httpVersion,
    domain_name: body.domain_name ?? null,
    ...pendingCreateColumns(id, projectId, body.admin_state_up !== false),
  })
  if (body.tags?.length) await setTags(tx, id, body.tags)
  return id
}
