/**
 * The HMAC key shared by the amphora agents (heartbeat senders) and the
 * health managers: `[health_manager] heartbeat_key`, else a random key kept
 * in `<state_dir>/heartbeat.key`, created on first use. Octavia has no
 * default key; the file makes the embedded one-machine setup work without
 * one while never signing with an empty key. Processes on several hosts must
 * set the same key in their configuration.
 */
import { randomBytes } from 'node:crypto'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import type { Config } from '../common/config/schema.js'

/** `<state_dir>/heartbeat.key` */
export const heartbeatKeyFile = (stateDir: string): string => join(resolve(stateDir), 'heartbeat.key')

/** The configured key, else the state directory's key (created once, mode 0600; concurrent first starts agree). */
export async function resolveHeartbeatKey(config: Pick<Config, 'DEFAULT' | 'health_manager'>): Promise<string> {
  if (config.health_manager.heartbeat_key !== '') return config.health_manager.heartbeat_key
  const file = heartbeatKeyFile(config.DEFAULT.state_dir)
  await mkdir(resolve(config.DEFAULT.state_dir), { recursive: true })
  try {
    // 'wx': only the first process creates it; the others read what it wrote.
    await writeFile(file, `${randomBytes(32).toString('hex')}\n`, { flag: 'wx', mode: 0o600 })
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
  }
  for (let attempt = 0; ; attempt++) {
    const key = (await readFile(file, 'utf8')).trim()
    if (key !== '' || attempt >= 20) {
      if (key === '') throw new Error(`heartbeat key file ${file} is empty`)
      return key
    }
    // Another process created the file and is about to write it.
    await new Promise(r => setTimeout(r, 10))
  }
}
