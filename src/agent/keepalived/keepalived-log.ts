/**
 * keepalived's log file (its `--log-console` output): rotated when large
 * before a start, and read back from an offset to explain a failed start.
 */
import { open, rename, stat } from 'node:fs/promises'

/** A log above this size is moved to `<log>.1` when keepalived starts. */
const MAX_LOG_BYTES = 1 << 20
/** Most characters of log returned as failure details. */
const MAX_DETAILS = 4000

/** Current size of the log (the offset to read new lines from); 0 when missing. */
export async function logSize(log: string): Promise<number> {
  return stat(log).then((s) => s.size, () => 0)
}

/** Keeps one previous log when the current one has grown large. */
export async function rotateLog(log: string): Promise<void> {
  if ((await logSize(log)) > MAX_LOG_BYTES) await rename(log, `${log}.1`)
}

/** The last lines written from `offset` on (at most MAX_DETAILS characters); '' when none. */
export async function logSince(log: string, offset: number): Promise<string> {
  try {
    const fh = await open(log, 'r')
    try {
      const size = (await fh.stat()).size
      const start = Math.max(offset, size - MAX_DETAILS)
      const buf = Buffer.alloc(Math.max(0, size - start))
      await fh.read(buf, 0, buf.length, start)
      return buf.toString('utf8').trim()
    } finally {
      await fh.close()
    }
  } catch {
    return ''
  }
}
