/**
 * How the domain model states a bounded integer attribute of the API, once
 * (DESIGN.md §2: every value the API accepts renders into a configuration
 * the data plane accepts). The API's TypeBox schema takes `min`/`max` as
 * `minimum`/`maximum`, the API stores `default` when a create omits the
 * attribute or an update sets it to null, and the HAProxy renderer and the
 * amphora agent (through its contract in src/amphora-api) check values
 * against the same bounds. Names are the API attribute names.
 */
import type { IntegerRange } from '../common/integer-range.js'

/** The range of one attribute and, for an optional attribute the API fills in, its default. */
export interface FieldRange extends IntegerRange {
  readonly default?: number
}

/**
 * A TCP, UDP or SCTP port of an endpoint: 0 is "any port" to the kernel and
 * never an endpoint, 65535 the largest 16-bit port (Octavia's MIN_PORT_NUMBER,
 * MAX_PORT_NUMBER).
 */
export const PORT_RANGE = { min: 1, max: 65535 } as const satisfies FieldRange

/**
 * The largest value of an `integer` column (32 bits signed in PostgreSQL and
 * MariaDB; DESIGN.md §3 keeps the schema portable) and of HAProxy's integer
 * arguments such as `maxconn`.
 */
export const INT32_MAX = 2_147_483_647
