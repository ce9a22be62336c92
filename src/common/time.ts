let lastMs = 0

/**
 * Current time as stored in the database: ISO-8601 UTC with milliseconds, no
 * zone suffix. Strictly increasing within a process (a call in the same
 * millisecond as the previous one gets the next millisecond), so rows and jobs
 * written by one process sort in the order they were written — e.g. the
 * children of a single-call create, or two jobs of one load balancer.
 */
export const nowIso = (): string => {
  lastMs = Math.max(Date.now(), lastMs + 1)
  return new Date(lastMs).toISOString().slice(0, 23)
}

/** A stored timestamp as Octavia renders it: `2017-02-28T00:41:44` (no fraction, no zone). */
export const renderTime = (stored: string | null): string | null => (stored === null ? null : stored.slice(0, 19))
