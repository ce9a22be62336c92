/**
 * keepalived.conf of one amphora of an ACTIVE_STANDBY load balancer
 * (DESIGN.md §5, reference/controlplane.md §7): one `vrrp_instance`,
 * BACKUP with `nopreempt` on both amphorae (the higher priority wins the
 * first election, then nobody takes the VIP back), unicast adverts to the
 * peers, the VIPs as `virtual_ipaddress` (`virtual_ipaddress_excluded` for the
 * other address family), and a track script that puts the instance in FAULT
 * (releasing the VIPs) when the amphora's HAProxy is not alive.
 *
 * Pure: a function of its input, covered by golden files
 * (test/golden/keepalived). Every value is validated before it is written;
 * nothing in the input can add a line or a directive. Throws
 * KeepalivedConfigError.
 *
 * NOTE: Octavia also writes `virtual_routes`/`virtual_rules` (policy routing
 * table 1) because its amphora has a management network beside the VIP
 * network; an amphora here has only the VIP network, whose default route the
 * data plane sets, so they are left out.
 */
import { KeepalivedConfigError } from './keepalived-config-error.js'
import { checkVrrpSpec, type CheckedVrrpSpec } from './vrrp-spec-check.js'
import type { VrrpSpec } from '../../amphora-api/agent-api.js'

/** Agent-side VRRP settings (`[keepalived_vrrp]`), the same for every amphora of the agent. */
export interface VrrpTimers {
  /** `vrrp_check_interval`: seconds between two runs of the check script. */
  readonly checkInterval: number
  /** `vrrp_fail_count`: failed runs in a row that put the instance in FAULT. */
  readonly failCount: number
  /** `vrrp_success_count`: good runs in a row that end the FAULT. */
  readonly successCount: number
  /** `vrrp_garp_refresh_interval`: seconds between gratuitous ARPs of the MASTER. */
  readonly garpRefreshInterval: number
  /** `vrrp_garp_refresh_count`: gratuitous ARPs sent each time. */
  readonly garpRefreshCount: number
}

export interface KeepalivedRenderInput {
  readonly spec: VrrpSpec
  /** The interface carrying `spec.ownIp` in the amphora's namespace. */
  readonly interfaceName: string
  /** Absolute path of the check script (written by the agent, owned by root, not group/other writable). */
  readonly checkScriptPath: string
  readonly timers: VrrpTimers
}

/** Interface names the kernel allows that are also one harmless word (IFNAMSIZ: 15 characters). */
const INTERFACE = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,14}$/
/** Absolute paths of plain words only: no spaces, quotes, `#`, `!`, `$` or control characters. */
const SCRIPT_PATH = /^(\/[A-Za-z0-9_.][A-Za-z0-9_.-]*)+$/

const I = '    '

/** Renders keepalived.conf; throws KeepalivedConfigError for any invalid value. */
export function renderKeepalivedConfig(input: KeepalivedRenderInput): string {
  const s = checkVrrpSpec(input.spec)
  const iface = word('interfaceName', input.interfaceName, INTERFACE)
  const script = word('checkScriptPath', input.checkScriptPath, SCRIPT_PATH)
  if (script.length > 1024 || script.split('/').some((p) => p === '..' || p === '.')) fail('checkScriptPath must be a plain absolute path')
  const t = timers(input.timers)
  const lines = [
    `# VRRP of amphora group ${s.groupName}, rendered by the octavia-ts amphora agent. Do not edit.`,
    '',
    'global_defs {',
    `${I}enable_script_security`,
    `${I}script_user root`,
    '}',
    '',
    'vrrp_script check_script {',
    `${I}script "${script}"`,
    `${I}interval ${t.checkInterval}`,
    `${I}fall ${t.failCount}`,
    `${I}rise ${t.successCount}`,
    '}',
    '',
    ...instanceLines(s, iface, t),
  ]
  return `${lines.join('\n')}\n`
}

/** The `vrrp_instance` block. */
function instanceLines(s: CheckedVrrpSpec, iface: string, t: VrrpTimers): string[] {
  const vips = (excluded: boolean): string[] => s.vips.filter((v) => v.excluded === excluded).map((v) => `${I}${I}${v.withPrefix}`)
  return [
    `vrrp_instance ${s.groupName} {`,
    `${I}state BACKUP`,
    `${I}interface ${iface}`,
    `${I}virtual_router_id ${s.vrrpId}`,
    `${I}priority ${s.priority}`,
    `${I}nopreempt`,
    `${I}accept`,
    `${I}garp_master_refresh ${t.garpRefreshInterval}`,
    `${I}garp_master_refresh_repeat ${t.garpRefreshCount}`,
    ...(s.version === 3 ? [`${I}version 3`] : []),
    `${I}advert_int ${s.advertInt}`,
    ...(s.version === 2 ? [`${I}authentication {`, `${I}${I}auth_type PASS`, `${I}${I}auth_pass ${s.authPassword}`, `${I}}`] : []),
    '',
    `${I}unicast_src_ip ${s.ownIp}`,
    `${I}unicast_peer {`,
    ...s.peerIps.map((p) => `${I}${I}${p}`),
    `${I}}`,
    '',
    `${I}virtual_ipaddress {`,
    ...vips(false),
    `${I}}`,
    ...(s.vips.some((v) => v.excluded) ? [`${I}virtual_ipaddress_excluded {`, ...vips(true), `${I}}`] : []),
    '',
    `${I}track_script {`,
    `${I}${I}check_script`,
    `${I}}`,
    '}',
  ]
}

function fail(message: string): never {
  throw new KeepalivedConfigError(message)
}

function word(field: string, value: unknown, re: RegExp): string {
  if (typeof value !== 'string' || !re.test(value)) fail(`${field} is not acceptable in keepalived.conf`)
  return value as string
}

function timers(t: VrrpTimers): VrrpTimers {
  const check = (field: keyof VrrpTimers, max: number): number => {
    const v = t[field]
    if (!Number.isInteger(v) || v < 1 || v > max) fail(`${field} must be an integer from 1 to ${max}`)
    return v
  }
  return {
    checkInterval: check('checkInterval', 3600), failCount: check('failCount', 100), successCount: check('successCount', 100),
    garpRefreshInterval: check('garpRefreshInterval', 3600), garpRefreshCount: check('garpRefreshCount', 100),
  }
}
