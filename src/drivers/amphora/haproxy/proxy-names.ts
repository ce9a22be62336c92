/**
 * Names of HAProxy proxies, as Octavia's amphora names them (the health
 * manager and statistics map them back): frontend = listener id, backend =
 * `<pool id>:<listener id>` (a pool shared by N listeners is rendered N
 * times), server = member id. Ids are validated, never escaped.
 */
import { objectId } from './config-values.js'

/** `<listener id>` */
export function frontendName(listenerId: string): string {
  return objectId('listener id', listenerId)
}

/** `<pool id>:<listener id>` */
export function backendName(poolId: string, listenerId: string): string {
  return `${objectId('pool id', poolId)}:${objectId('listener id', listenerId)}`
}
