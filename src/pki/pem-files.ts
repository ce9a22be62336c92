/**
 * Files of the PKI: written atomically (temporary file + rename or link) with
 * the mode given, so a reader never sees half a key and concurrent writers
 * never mix their bytes.
 */
import { randomBytes } from 'node:crypto'
import { link, readFile, rename, unlink, writeFile } from 'node:fs/promises'

/** The file's text, or null when it does not exist. */
export async function readIfExists(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw err
  }
}

/** Replaces `path` with `data` atomically (last writer wins). */
export async function writeAtomic(path: string, data: string, mode: number): Promise<void> {
  const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`
  await writeFile(tmp, data, { mode, flag: 'wx' })
  try {
    await rename(tmp, path)
  } catch (err) {
    await unlink(tmp).catch(() => undefined)
    throw err
  }
}

/**
 * Creates `path` with `data` only if it does not exist yet (first writer
 * wins). Returns true when this call created it, false when it existed.
 */
export async function createExclusive(path: string, data: string, mode: number): Promise<boolean> {
  const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`
  await writeFile(tmp, data, { mode, flag: 'wx' })
  try {
    await link(tmp, path)
    return true
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw err
  } finally {
    await unlink(tmp).catch(() => undefined)
  }
}

/** The PEM blocks of a text with the given label (`CERTIFICATE`, `PRIVATE KEY`, ...), each with its armour. */
export function pemBlocks(text: string, label: RegExp): string[] {
  const out: string[] = []
  const re = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g
  for (const m of text.matchAll(re)) if (label.test(m[1] ?? '')) out.push(`${m[0]}\n`)
  return out
}
