/**
 * The bounded attributes of a listener, by API name (see field-range.ts).
 * A listener becomes a `frontend` and sets the timeouts and `fullconn` of
 * its backends (src/drivers/amphora/haproxy/frontend-section.ts,
 * backend-section.ts).
 */
import { INT32_MAX, PORT_RANGE, type FieldRange } from './field-range.js'

/**
 * Listener timeouts in milliseconds: Octavia's MIN_TIMEOUT (0) and
 * MAX_TIMEOUT (24 days), within HAProxy's largest timer (2^31-1 ms, about
 * 24.8 days). 0 means the renderer's configured default.
 * NOTE: Octavia's API stores its `[haproxy_amphora] timeout_*` options when
 * a create omits a timeout; octavia-ts has no such options yet, so the
 * defaults below (Octavia's) serve the API and the renderer's options alike.
 */
const TIMEOUT_MS = { min: 0, max: 24 * 24 * 60 * 60 * 1000 } as const

export const LISTENER_FIELDS = {
  /** The port bound on every VIP: `bind <vip>:<port>`. */
  protocol_port: PORT_RANGE,
  /**
   * Connections at once: the frontend's `maxconn` and the backends'
   * `fullconn`, capped by the renderer's maxconnCap. -1 (the default, as
   * Octavia's MIN_CONNECTION_LIMIT) and 0 mean the operator's
   * `default_connection_limit`. Octavia sets no maximum; the integer column
   * and HAProxy's `maxconn` hold at most INT32_MAX.
   */
  connection_limit: { min: -1, max: INT32_MAX, default: -1 },
  /** Client inactivity: `timeout client`. Default: Octavia's `[haproxy_amphora] timeout_client_data`. */
  timeout_client_data: { ...TIMEOUT_MS, default: 50000 },
  /** Connecting to a member: `timeout connect`. Default: Octavia's `timeout_member_connect`. */
  timeout_member_connect: { ...TIMEOUT_MS, default: 5000 },
  /** Member inactivity: `timeout server`. Default: Octavia's `timeout_member_data`. */
  timeout_member_data: { ...TIMEOUT_MS, default: 50000 },
  /** Wait for content to inspect: `tcp-request inspect-delay`, none when 0 (Octavia's default). */
  timeout_tcp_inspect: { ...TIMEOUT_MS, default: 0 },
  /**
   * Strict-Transport-Security max-age in seconds (TERMINATED_HTTPS only).
   * Octavia sets no maximum; the integer column holds at most INT32_MAX.
   */
  hsts_max_age: { min: 0, max: INT32_MAX },
} as const satisfies Readonly<Record<string, FieldRange>>
