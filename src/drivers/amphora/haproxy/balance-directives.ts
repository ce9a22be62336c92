/**
 * A pool's lb_algorithm → the balance directives of its backend, and the
 * factor its members' weights are written with.
 *
 * SOURCE_IP_PORT (upstream's amphorae refuse it; its OVN provider hashes the
 * client's address and port): HAProxy 2.6 has no fetch of "address:port" and
 * `concat` takes only variables, so a backend rule copies the client's port
 * into a transaction variable (`tcp-request content` rules run again for
 * every request of a keep-alive connection) and `balance hash` hashes the
 * address followed by `:` and that port. The hash is consistent: a member
 * added or removed moves only the flows of its own share of the ring, and
 * HAProxy accepts servers added and deleted at runtime in such a backend (no
 * reload, see runtime-changes.ts). sdbm + avalanche is HAProxy's default for
 * consistent hashing, written out so that the mapping never moves with a
 * default.
 *
 * NOTE: HAProxy 2.6 places a server's points on the ring by its numeric id:
 * the position of its line (members in id order) when the file is loaded,
 * the lowest free id for a server added at runtime. A reload after runtime
 * changes may therefore renumber servers and move flows of new connections
 * (established ones stay); 2.8's `hash-key addr-port` would avoid that.
 * Each TCP connection is hashed once, so only clients that reuse a source
 * port across the reload see a different member.
 */
import type { MemberView, PoolView } from '../../../model/load-balancer-view.js'
import { MEMBER_FIELDS } from '../../../model/member-fields.js'
import { RenderError } from './render-error.js'

/** The balance directives of a backend and the factor of its server weights. */
export interface BalanceDirectives {
  readonly lines: readonly string[]
  /** Every member's weight is multiplied by it on its `server` line (1 but for consistent hashing). */
  readonly weightScale: number
}

const SIMPLE: Readonly<Record<string, string>> = {
  ROUND_ROBIN: 'balance roundrobin', LEAST_CONNECTIONS: 'balance leastconn', SOURCE_IP: 'balance source',
}

/** The transaction variable holding the client's port (`txn.` scope: set again for each request). */
const PORT_VARIABLE = 'txn.src_port'

/**
 * Largest weight factor for consistent hashing. HAProxy puts 16 points per
 * unit of weight on the ring: at Octavia's default weight 1 three members
 * got 35/30/35 % of 20,000 flows here, at weight 16 (256 points each)
 * 35/33/32 %. HAProxy allocates the points of every server of every
 * backend (measured: +11 MB RSS for 1000 servers at weight 16 rather than
 * 1, ~47 bytes a point), so more would cost memory for little evenness.
 */
const MAX_WEIGHT_SCALE = 16

/**
 * The directives of `pool`'s algorithm, `members` being the ones rendered.
 * Throws RenderError for an algorithm HAProxy is not configured for.
 */
export function balanceDirectives(pool: PoolView, members: readonly MemberView[]): BalanceDirectives {
  const simple = SIMPLE[pool.lbAlgorithm]
  if (simple !== undefined) return { lines: [simple], weightScale: 1 }
  if (pool.lbAlgorithm !== 'SOURCE_IP_PORT') {
    throw new RenderError(`pool ${pool.id}: lb_algorithm ${pool.lbAlgorithm} is not supported`)
  }
  return {
    lines: [
      `balance hash src,concat(:,${PORT_VARIABLE})`,
      'hash-type consistent sdbm avalanche',
      `tcp-request content set-var(${PORT_VARIABLE}) src_port`,
    ],
    weightScale: consistentWeightScale(members),
  }
}

/**
 * The largest factor ≤ MAX_WEIGHT_SCALE that keeps every member's weight
 * within HAProxy's range (MEMBER_FIELDS.weight.max, 256): the ratios between members stay those of the API
 * (weight 0 still drains). A change of the pool's largest weight may change
 * the factor, which the runtime API applies as weight changes.
 */
function consistentWeightScale(members: readonly MemberView[]): number {
  const largest = Math.max(1, ...members.map((m) => m.weight))
  return Math.max(1, Math.min(MAX_WEIGHT_SCALE, Math.floor(MEMBER_FIELDS.weight.max / largest)))
}
