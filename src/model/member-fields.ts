/**
 * The bounded attributes of a member, by API name (see field-range.ts).
 * A member becomes a `server` line of its pool's backends
 * (src/drivers/amphora/haproxy/backend-section.ts) and, when only its weight
 * or admin state changes, HAProxy runtime commands run by the amphora agent
 * (src/amphora-api/server-change-schema.ts).
 */
import { PORT_RANGE, type FieldRange } from './field-range.js'

export const MEMBER_FIELDS = {
  /** The member's service port: `server … <address>:<port>`. */
  protocol_port: PORT_RANGE,
  /** The port health checks go to instead of protocol_port: `check … port <n>`. */
  monitor_port: PORT_RANGE,
  /**
   * Share of the pool's new connections: `server … weight <n>`. HAProxy
   * refuses a server weight above 256, in the file and in `set server …
   * weight`; 0 drains the member (no new connections, still checked).
   * Octavia's MIN_WEIGHT, MAX_WEIGHT and default.
   */
  weight: { min: 0, max: 256, default: 1 },
} as const satisfies Readonly<Record<string, FieldRange>>
