/**
 * Faults an amphora can suffer, as tests and bench/failover inflict them
 * (netns mode; root): the whole namespace gone as a crashed VM would be.
 */
import { execFileSync } from 'node:child_process'

/** Whether the namespace of amphora `id` carries `vip` now. */
export function holdsVip(id: string, vip: string): boolean {
  try {
    return execFileSync('ip', ['-n', `amp-${id}`, '-o', 'addr', 'show'], { encoding: 'utf8' }).includes(` ${vip}/`)
  } catch {
    return false
  }
}

/** SIGKILLs every process in the amphora's namespace, then deletes it: the amphora is gone at once. */
export function killNamespace(id: string): void {
  const ns = `amp-${id}`
  const pids = execFileSync('ip', ['netns', 'pids', ns], { encoding: 'utf8' }).split(/\s+/).filter(Boolean).map(Number)
  for (const pid of pids) {
    try { process.kill(pid, 'SIGKILL') } catch { /* already gone */ }
  }
  execFileSync('ip', ['netns', 'delete', ns])
}
