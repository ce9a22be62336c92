import { randomBytes } from 'node:crypto'
import { hostname } from 'node:os'

const host = (): string => hostname().slice(0, 40)

/**
 * A new worker id, `<hostname>/<pid>/<random>`: unique per worker instance,
 * recorded as `lease_owner` of the jobs it holds.
 */
export function newWorkerId(): string {
  return `${host()}/${process.pid}/${randomBytes(4).toString('hex')}`
}

/**
 * True when `owner` is a worker of this host whose process no longer exists
 * (e.g. this service before a kill -9 and restart): its jobs can be taken over
 * at once instead of after the lease. Ids of other hosts, of this very
 * process, and of processes that still exist (or whose liveness we cannot
 * tell) are never dead. Assumes hostnames identify a PID namespace: hosts or
 * containers that share a hostname but not PIDs must have distinct hostnames.
 */
export function isDeadLocalOwner(owner: string | null): boolean {
  if (!owner) return false
  const [ownerHost, pidText, suffix] = owner.split('/')
  if (ownerHost !== host() || suffix === undefined) return false
  const pid = Number(pidText)
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false
  try {
    process.kill(pid, 0)
    return false
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH'
  }
}
