/**
 * The bounded attributes of a health monitor, by API name (see
 * field-range.ts). A monitor becomes `timeout check` in its pool's backends
 * and `check inter … fall … rise …` on each server line
 * (src/drivers/amphora/haproxy/health-check.ts).
 */
import type { FieldRange } from './field-range.js'

/**
 * Whole seconds: Octavia's minimum 0, and HAProxy's largest timer (2^31-1
 * ms): `inter 2147484s` is refused as a timer overflow.
 */
const SECONDS = { min: 0, max: 2_147_483 } as const

export const HEALTH_MONITOR_FIELDS = {
  /**
   * Seconds between checks: `inter <n>s`. NOTE: Octavia accepts 0 but
   * HAProxy refuses `inter 0`; the renderer writes 0 as 1 s, the shortest
   * interval in the API's unit.
   */
  delay: SECONDS,
  /**
   * Seconds a check may take: `timeout check <n>s`. 0 leaves it unset, and
   * HAProxy then gives a check the whole interval.
   */
  timeout: SECONDS,
  /** Successful checks before a member is UP: `rise`. Octavia's MIN_HM_RETRIES and MAX_HM_RETRIES. */
  max_retries: { min: 1, max: 10 },
  /** Failed checks before a member is DOWN: `fall`. Same bounds; Octavia's default 3. */
  max_retries_down: { min: 1, max: 10, default: 3 },
} as const satisfies Readonly<Record<string, FieldRange>>
