/**
 * Session persistence of a pool:
 * - SOURCE_IP: a stick table on the client address;
 * - APP_COOKIE: a stick table learning the member from the application's
 *   cookie in responses and matching it in requests;
 * - HTTP_COOKIE: HAProxy inserts its own `SRV` cookie naming the member
 *   (each server line then carries `cookie <member id>`).
 * With ACTIVE_STANDBY peers the stick tables are shared between amphorae.
 */
import type { PoolView } from '../../../model/load-balancer-view.js'
import { directive } from './config-section.js'
import { fetchArgumentWord } from './config-escape.js'
import { fetchArgument } from './config-values.js'
import type { ProxyMode } from './render-plan.js'
import type { RenderOptions } from './render-options.js'
import { RenderError } from './render-error.js'

/** Backend directives of the pool's session persistence (none for null). */
export function sessionPersistenceLines(
  pool: PoolView, mode: ProxyMode, peersName: string | null, o: RenderOptions,
): string[] {
  const sp = pool.sessionPersistence
  if (sp === null) return []
  const peers = peersName !== null && `peers ${peersName}`
  switch (sp.type) {
    case 'SOURCE_IP':
      return [directive('stick-table type ipv6 size', o.stickTableSize, peers), 'stick on src']
    case 'APP_COOKIE': {
      // NOTE: cookies exist only in HTTP mode; HAProxy ignores them (with a
      // warning) in a tcp backend, so they are left out there, as the effect.
      if (mode !== 'http') return []
      const cookie = fetchArgumentWord(fetchArgument(`pool ${pool.id} session_persistence cookie_name`, sp.cookieName))
      return [
        directive('stick-table type string len 64 size', o.stickTableSize, peers),
        `stick store-response res.cook(${cookie})`,
        `stick match req.cook(${cookie})`,
      ]
    }
    case 'HTTP_COOKIE':
      return mode === 'http' ? ['cookie SRV insert indirect nocache'] : []
    default:
      throw new RenderError(`pool ${pool.id}: session persistence ${sp.type} is not supported`)
  }
}
