/**
 * The configuration files of one load balancer: upload (write a candidate,
 * `haproxy -c`, then swap it in), the last known good copy, and the log
 * lines HAProxy wrote since some point (for error details).
 */
import { copyFile, mkdir, open, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises'
import { AgentHttpError } from './agent-http-error.js'
import type { LoadBalancerPaths } from '../amphora-api/agent-paths.js'
import { checkConfig } from './haproxy/haproxy-binary.js'

/** Longest error detail taken from HAProxy's log. */
const MAX_DETAILS = 8192

/**
 * Checks `text` with `haproxy -c` as a candidate next to the config, then
 * renames it over the config. On an invalid config throws AgentHttpError
 * 400 `Invalid request` with the ALERT lines in `details`, keeps the
 * candidate as `haproxy.cfg.failed` for inspection, and leaves the config in
 * use untouched. A config whose stats socket is not `p.statsSocket` is
 * refused the same way (the agent could not manage that HAProxy).
 */
export async function uploadConfig(p: LoadBalancerPaths, haproxyCmd: string, text: string): Promise<void> {
  const socket = statsSocketOf(text)
  if (socket !== p.statsSocket) {
    throw new AgentHttpError(400, 'Invalid request',
      `the configuration must declare 'stats socket ${p.statsSocket}' (found ${socket === null ? 'none' : `'${socket}'`})`)
  }
  await mkdir(p.dir, { recursive: true, mode: 0o700 })
  await writeFile(p.candidate, text, { mode: 0o600 })
  const check = await checkConfig(haproxyCmd, p.candidate)
  if (!check.valid) {
    await rename(p.candidate, `${p.config}.failed`).catch(() => undefined)
    throw new AgentHttpError(400, 'Invalid request', check.alerts)
  }
  await rename(p.candidate, p.config)
}

/**
 * Stores `text` as the config in use without `haproxy -c` nor a reload: for a
 * config whose difference from the one in use (servers added, removed or
 * changed) was just applied through the runtime API, so the running HAProxy
 * already matches it and the next reload uses it. 409 when there is no config
 * in use yet; the stats socket is checked as on upload. When the config in use
 * was the last known good one, the new one becomes it too (the running
 * HAProxy accepted every server it adds).
 */
export async function storeRuntimeConfig(p: LoadBalancerPaths, text: string): Promise<void> {
  const socket = statsSocketOf(text)
  if (socket !== p.statsSocket) {
    throw new AgentHttpError(400, 'Invalid request',
      `the configuration must declare 'stats socket ${p.statsSocket}' (found ${socket === null ? 'none' : `'${socket}'`})`)
  }
  const current = await readConfig(p)
  if (current === null) throw new AgentHttpError(409, 'no configuration in use to change at runtime')
  const good = await readFile(p.lastKnownGood, 'utf8').catch(() => null)
  await writeFile(p.candidate, text, { mode: 0o600 })
  await rename(p.candidate, p.config)
  if (good === current) await markKnownGood(p)
}

/**
 * The path of the first `stats socket` line of a config, or null. The agent
 * talks to HAProxy through it, so it must be the one the agent expects
 * (haproxyRuntimePaths).
 */
export function statsSocketOf(text: string): string | null {
  const m = /^[ \t]*stats[ \t]+socket[ \t]+(\S+)/m.exec(text)
  return m?.[1] ?? null
}

/** The config in use, or null when none was uploaded. */
export async function readConfig(p: LoadBalancerPaths): Promise<string | null> {
  try {
    return await readFile(p.config, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw err
  }
}

/** Records the config in use as last known good (after it started or reloaded). */
export async function markKnownGood(p: LoadBalancerPaths): Promise<void> {
  await copyFile(p.config, p.lastKnownGood)
}

/**
 * Puts the last known good config back in place. Returns false when there is
 * none or it equals the config in use (nothing to fall back to).
 */
export async function restoreKnownGood(p: LoadBalancerPaths): Promise<boolean> {
  let good: string
  try {
    good = await readFile(p.lastKnownGood, 'utf8')
  } catch {
    return false
  }
  if (good === (await readConfig(p))) return false
  await writeFile(`${p.config}.rejected`, (await readConfig(p)) ?? '', { mode: 0o600 })
  await writeFile(p.candidate, good, { mode: 0o600 })
  await rename(p.candidate, p.config)
  return true
}

/** A log above this size is moved to `haproxy.log.1` when HAProxy starts. */
const MAX_LOG_BYTES = 1 << 20

/** Keeps one previous log when the current one has grown large (called before a start). */
export async function rotateLog(p: LoadBalancerPaths): Promise<void> {
  if ((await logOffset(p)) > MAX_LOG_BYTES) await rename(p.log, `${p.log}.1`)
}

/** Current size of the log (the offset to read new lines from). */
export async function logOffset(p: LoadBalancerPaths): Promise<number> {
  try {
    return (await stat(p.log)).size
  } catch {
    return 0
  }
}

/**
 * What HAProxy logged from `offset` on: its ALERT lines, or the last lines
 * when there are none, at most MAX_DETAILS characters.
 */
export async function logSince(p: LoadBalancerPaths, offset: number): Promise<string> {
  let text: string
  try {
    const fh = await open(p.log, 'r')
    try {
      const size = (await fh.stat()).size
      const start = Math.max(offset, size - 64 * 1024)
      const buf = Buffer.alloc(Math.max(0, size - start))
      await fh.read(buf, 0, buf.length, start)
      text = buf.toString('utf8')
    } finally {
      await fh.close()
    }
  } catch {
    return ''
  }
  const alerts = text.split('\n').filter((l) => l.includes('[ALERT]')).join('\n')
  return (alerts || text.trim()).slice(-MAX_DETAILS)
}

/** Removes a file; a missing one is fine. */
export async function removeFile(path: string): Promise<void> {
  await unlink(path).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'ENOENT') throw err
  })
}
