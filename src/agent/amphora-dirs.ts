/** Reading the agent's base directory: amphora and load balancer ids as directory names. */
import { readdir } from 'node:fs/promises'
import { SAFE_ID } from '../amphora-api/agent-paths.js'
import { AgentHttpError } from './agent-http-error.js'

/** 400 unless `id` is safe as one path component (SAFE_ID). */
export function checkId(what: string, id: string): void {
  if (!SAFE_ID.test(id)) throw new AgentHttpError(400, `invalid ${what} id '${id}'`)
}

/** The names of the sub-directories of `dir`; none when it does not exist. */
export async function subdirs(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw err
  }
}
