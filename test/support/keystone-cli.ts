import { execFile } from 'node:child_process'
import { OPENSTACK_BIN, type CliResult, type OpenstackCli } from '../e2e/support/openstack-cli.js'
import type { UserCredentials } from './keystone-admin.js'

/**
 * The real `openstack` CLI with password authentication against a test
 * Keystone (the `OS_*` variables a user's openrc sets): the load-balancer and
 * network endpoints come from Keystone's catalog. Every run gets a timeout.
 */
export function keystoneCli(keystoneUrl: string, user: Pick<UserCredentials, 'username' | 'password' | 'projectName'>, timeoutMs = 90_000): OpenstackCli {
  const env: NodeJS.ProcessEnv = {}
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('OS_')) env[k] = v
  Object.assign(env, {
    PYTHONWARNINGS: 'ignore',
    OS_AUTH_TYPE: 'password',
    OS_AUTH_URL: `${keystoneUrl}/v3`,
    OS_IDENTITY_API_VERSION: '3',
    OS_USERNAME: user.username,
    OS_PASSWORD: user.password,
    OS_PROJECT_NAME: user.projectName,
    OS_USER_DOMAIN_NAME: 'Default',
    OS_PROJECT_DOMAIN_NAME: 'Default',
    OS_REGION_NAME: 'RegionOne',
    OS_INTERFACE: 'public',
  })
  const run = (args: readonly string[]): Promise<CliResult> => new Promise(resolve => {
    const command = `openstack ${args.map(a => (/^[\w./:=,-]+$/.test(a) ? a : `'${a}'`)).join(' ')} (as ${user.username})`
    execFile(OPENSTACK_BIN, [...args], { env, timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : null) : 0
      const timedOut = err && (err as { killed?: boolean }).killed ? `\n(killed after ${timeoutMs} ms)` : ''
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
