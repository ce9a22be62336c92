import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'

/** What one `openstack` run printed. */
export interface CliResult {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
  /** The command line, for messages. */
  readonly command: string
}

/** Where Debian's python3-openstackclient puts the CLI (scripts/setup.sh installs it). */
export const OPENSTACK_BIN = ['/usr/bin/openstack', '/usr/local/bin/openstack'].find(p => existsSync(p)) ?? 'openstack'

/** True when the `openstack` CLI with the load-balancer plugin is installed. */
export const haveOpenstackCli = (): boolean => existsSync(OPENSTACK_BIN)

/** The `openstack` CLI pointed at one service without Keystone (`--os-auth-type none`). */
export interface OpenstackCli {
  /** Runs `openstack <args>`; never throws for a non-zero exit (see `code`). */
  run(args: readonly string[]): Promise<CliResult>
  /** Runs `openstack <args> -f json` and parses stdout; throws with stderr when the command fails. */
  json(args: readonly string[]): Promise<any>
  /** Runs `openstack <args>` and returns stdout; throws with stderr when the command fails. */
  ok(args: readonly string[]): Promise<string>
}

/**
 * Makes a CLI runner for `url`. Every command gets `--os-auth-type none
 * --os-endpoint <url>` and runs with a clean OS_* environment and a timeout
 * (the CLI's `--wait` has none of its own: a stuck status would hang it).
 */
export function openstackCli(url: string, timeoutMs = 60000): OpenstackCli {
  const env: NodeJS.ProcessEnv = {}
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('OS_')) env[k] = v
  env.PYTHONWARNINGS = 'ignore'
  const run = (args: readonly string[]): Promise<CliResult> => new Promise(resolve => {
    const full = ['--os-auth-type', 'none', '--os-endpoint', url, ...args]
    const command = `openstack ${full.map(a => (/^[\w./:=,-]+$/.test(a) ? a : `'${a}'`)).join(' ')}`
    execFile(OPENSTACK_BIN, full, { env, timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as any).code === 'number' ? (err as any).code : null) : 0
      const timedOut = err && (err as any).killed ? `\n(killed after ${timeoutMs} ms)` : ''
      resolve({ code, stdout, stderr: stderr + timedOut, command })
    })
  })
  const ok = async (args: readonly string[]): Promise<string> => {
    const r = await run(args)
    if (r.code !== 0) throw new Error(`${r.command} failed (exit ${r.code}):\n${r.stderr.trim()}\n${r.stdout.trim()}`)
    return r.stdout
  }
  const json = async (args: readonly string[]): Promise<any> => {
    const out = await ok([...args, '-f', 'json'])
    try {
      return JSON.parse(out)
    } catch {
      throw new Error(`openstack ${args.join(' ')} -f json printed no JSON:\n${out}`)
    }
  }
  return { run, ok, json }
}
