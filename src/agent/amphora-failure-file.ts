/**
 * The persisted failure flag of an amphora (`<base>/<amphora>/failed`,
 * holding the reason): written once, so the first reason stays; read back
 * when the agent restarts; removed with the amphora's directory when it is
 * unregistered, which is the only way to clear it.
 */
import { readFile, writeFile } from 'node:fs/promises'
import { failedFile } from '../amphora-api/agent-paths.js'

/** The saved reason, or null when the amphora is not marked failed. */
export async function readFailure(base: string, ampId: string): Promise<string | null> {
  try {
    const text = (await readFile(failedFile(base, ampId), 'utf8')).trim()
    return text === '' ? 'failed' : text
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw err
  }
}

/**
 * Saves `reason` unless a reason is saved already (exclusive create). A
 * missing amphora directory (unregistered meanwhile) is not an error.
 */
export async function writeFailure(base: string, ampId: string, reason: string): Promise<void> {
  try {
    await writeFile(failedFile(base, ampId), `${reason}\n`, { flag: 'wx', mode: 0o600 })
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code !== 'EEXIST' && code !== 'ENOENT') throw err
  }
}
