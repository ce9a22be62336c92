import { closeSync, openSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/**
 * Reserves a network number in 100–199 for this process (10.213.<n>.0/24,
 * 127.213.<n>.0/24): a lock file per number, so test files running at once
 * (stacks, scratch networks) never share addresses. Locks older than an hour are stale.
 */
export function reserveNetworkNumber(): { n: number; release(): void } {
  const start = Math.floor(Math.random() * 100)
  for (let i = 0; i < 100; i++) {
    const n = 100 + ((start + i) % 100)
    const lock = join(tmpdir(), `octavia-ts-e2e-net-${n}.lock`)
    try {
      if (Date.now() - statSync(lock).mtimeMs > 3_600_000) rmSync(lock, { force: true })
    } catch { /* no lock */ }
    try {
      closeSync(openSync(lock, 'wx'))
      return { n, release: () => rmSync(lock, { force: true }) }
    } catch { /* taken */ }
  }
  throw new Error('no free e2e network number (100-199)')
}
