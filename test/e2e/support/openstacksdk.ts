import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { UserCredentials } from '../../support/keystone-admin.js'

/** Debian's interpreter: python3-openstacksdk lives in its dist-packages (a pyenv `python3` on PATH lacks it). */
const PYTHON = '/usr/bin/python3'
const SDK = '/usr/lib/python3/dist-packages/openstack/__init__.py'
const SCRIPT = fileURLToPath(new URL('./openstacksdk-scenario.py', import.meta.url))

/** True when Debian's python3-openstacksdk is installed (scripts/setup.sh). */
export const haveOpenstackSdk = (): boolean => existsSync(PYTHON) && existsSync(SDK)

/** What openstacksdk-scenario.py is told. */
export interface SdkScenarioInput {
  /** Keystone's v3 URL. */
  readonly authUrl: string
  /** A load-balancer_member: discovery, networks, every load-balancer resource. */
  readonly member: Pick<UserCredentials, 'username' | 'password' | 'projectName'>
  /** A cloud admin: quotas, flavors, availability zones. */
  readonly admin: Pick<UserCredentials, 'username' | 'password' | 'projectName'>
  /** `network_endpoint_override` of the second discovery (a versioned URL). */
  readonly versionedNetworkUrl: string
  /** `network_endpoint_override` of the third discovery (the API port's prefix). */
  readonly prefixedNetworkUrl: string
}

/**
 * Runs the scenario once (2 minutes at most) and returns its JSON document
 * (see the script's docstring); `error` holds the traceback of the step that
 * failed, if one did. Rejects when the script prints no JSON.
 */
export function runSdkScenario(input: SdkScenarioInput): Promise<any> {
  const user = (u: SdkScenarioInput['member']) => ({ username: u.username, password: u.password, project_name: u.projectName })
  const arg = JSON.stringify({
    auth_url: input.authUrl, region: 'RegionOne', member: user(input.member), admin: user(input.admin),
    versioned_network_url: input.versionedNetworkUrl, prefixed_network_url: input.prefixedNetworkUrl,
  })
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, PYTHONWARNINGS: 'ignore' }
  return new Promise((resolve, reject) => {
    execFile(PYTHON, [SCRIPT, arg], { env, timeout: 120_000, killSignal: 'SIGKILL', maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      try {
        resolve(JSON.parse(stdout))
      } catch {
        reject(new Error(`openstacksdk-scenario.py printed no JSON (${err?.message ?? 'exit 0'}):\n${stderr.slice(-4000)}\n${stdout.slice(-1000)}`))
      }
    })
  })
}
