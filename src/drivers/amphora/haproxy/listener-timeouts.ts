/**
 * The timeouts of a listener as the frontend and its backends write them.
 */
import { LISTENER_FIELDS } from '../../../model/listener-fields.js'
import type { ListenerView } from '../../../model/load-balancer-view.js'
import { integerIn, timeoutMs } from './config-values.js'
import type { RenderOptions } from './render-options.js'

type TimeoutField = 'timeout_client_data' | 'timeout_member_connect' | 'timeout_member_data'

/** Milliseconds, each checked against its field's range (src/model/listener-fields.ts). */
export interface ListenerTimeouts {
  /** `timeout client` of the frontend. */
  readonly clientData: number
  /** `timeout connect` of the backends. */
  readonly memberConnect: number
  /** `timeout server` of the backends. */
  readonly memberData: number
  /** `tcp-request inspect-delay` of the frontend; 0 writes none. */
  readonly tcpInspect: number
}

/**
 * The listener's timeouts; null and 0 take the configured defaults, as in
 * Octavia. Throws RenderError for a value outside its field's range, or a
 * client/member timeout that ends up 0 (HAProxy reads it as "no timeout").
 */
export function listenerTimeouts(listener: ListenerView, o: RenderOptions): ListenerTimeouts {
  const what = `listener ${listener.id}`
  const ms = (field: TimeoutField, value: number | null, fallback: number): number =>
    timeoutMs(`${what} ${field}`, value, fallback, LISTENER_FIELDS[field])
  const inspect = LISTENER_FIELDS.timeout_tcp_inspect
  const ownInspect = listener.timeoutTcpInspect === null ? 0
    : integerIn(`${what} timeout_tcp_inspect`, listener.timeoutTcpInspect, inspect)
  return {
    clientData: ms('timeout_client_data', listener.timeoutClientData, o.timeouts.clientData),
    memberConnect: ms('timeout_member_connect', listener.timeoutMemberConnect, o.timeouts.memberConnect),
    memberData: ms('timeout_member_data', listener.timeoutMemberData, o.timeouts.memberData),
    tcpInspect: ownInspect || integerIn(`${what} timeout_tcp_inspect`, o.timeouts.tcpInspect, inspect),
  }
}
