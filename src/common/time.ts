/** Current time as stored in the database: ISO-8601 UTC with milliseconds, no zone suffix. */
export const nowIso = (): string => new Date().toISOString().slice(0, 23)

/** A stored timestamp as Octavia renders it: `2017-02-28T00:41:44` (no fraction, no zone). */
export const renderTime = (stored: string | null): string | null => (stored === null ? null : stored.slice(0, 19))
