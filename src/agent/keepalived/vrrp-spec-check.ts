/**
 * Strict validation of a VrrpSpec (agent-api.ts) before anything of it
 * reaches keepalived.conf: every string must match a narrow pattern or parse
 * as an address (then only its canonical text is used), every number must be
 * an in-range integer (or a centisecond interval). Pure.
 */
import type { VrrpSpec } from '../../amphora-api/agent-api.js'
import { formatIp, parseIp, type IpVersion } from '../../common/net/ip-address.js'
import { KeepalivedConfigError } from './keepalived-config-error.js'

/** One VIP as rendered: canonical `address/prefix`, and whether its family differs from the VRRP address's. */
export interface CheckedVip {
  readonly address: string
  readonly withPrefix: string
  readonly excluded: boolean
}

/** A VrrpSpec that passed checkVrrpSpec, in the form the renderer writes. */
export interface CheckedVrrpSpec {
  readonly groupName: string
  readonly vrrpId: number
  readonly priority: number
  readonly authPassword: string
  /** 2: integer advert_int over IPv4, with PASS authentication; 3: otherwise (no authentication). */
  readonly version: 2 | 3
  /** advert_int as written (`1`, `0.2`). */
  readonly advertInt: string
  readonly ownIp: string
  readonly family: IpVersion
  readonly peerIps: readonly string[]
  readonly vips: readonly CheckedVip[]
}

const GROUP_NAME = /^[A-Za-z0-9_]{1,32}$/
const PASSWORD = /^[A-Za-z0-9]{1,8}$/
const MAX_PEERS = 8
const MAX_VIPS = 32
const SPEC_KEYS = ['groupName', 'vrrpId', 'priority', 'authPassword', 'advertInt', 'ownIp', 'peerIps', 'vips'] as const

const fail = (message: string): never => { throw new KeepalivedConfigError(message) }

/** Checks a spec; returns its canonical form or throws KeepalivedConfigError naming the field. */
export function checkVrrpSpec(spec: VrrpSpec): CheckedVrrpSpec {
  if (spec === null || typeof spec !== 'object') fail('vrrp spec must be an object')
  for (const key of Object.keys(spec)) if (!(SPEC_KEYS as readonly string[]).includes(key)) fail('vrrp spec has an unknown field')
  const groupName = pattern('groupName', spec.groupName, GROUP_NAME, 'letters, digits and _ (1 to 32)')
  const authPassword = pattern('authPassword', spec.authPassword, PASSWORD, 'letters and digits (1 to 8)')
  const vrrpId = integer('vrrpId', spec.vrrpId, 1, 255)
  const priority = integer('priority', spec.priority, 1, 254)
  const own = address('ownIp', spec.ownIp)
  const ownIp = formatIp(own)
  const peerIps = list('peerIps', spec.peerIps, 1, MAX_PEERS).map((p, i) => {
    const ip = address(`peerIps[${i}]`, p)
    if (ip.version !== own.version) fail(`peerIps[${i}] is not of the family of ownIp`)
    return formatIp(ip)
  })
  unique('peerIps', [ownIp, ...peerIps])
  const vips = list('vips', spec.vips, 1, MAX_VIPS).map((v, i) => vip(`vips[${i}]`, v, own.version))
  unique('vips', [ownIp, ...peerIps, ...vips.map((v) => v.address)])
  const { version, text } = interval(spec.advertInt, own.version)
  return Object.freeze({
    groupName, vrrpId, priority, authPassword, version, advertInt: text, ownIp, family: own.version,
    peerIps: Object.freeze(peerIps), vips: Object.freeze(vips),
  })
}

function pattern(field: string, value: unknown, re: RegExp, what: string): string {
  if (typeof value !== 'string' || !re.test(value)) fail(`${field} must be ${what}`)
  return value as string
}

function integer(field: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) fail(`${field} must be an integer from ${min} to ${max}`)
  return value as number
}

function list(field: string, value: unknown, min: number, max: number): unknown[] {
  if (!Array.isArray(value) || value.length < min || value.length > max) fail(`${field} must be a list of ${min} to ${max} entries`)
  return value as unknown[]
}

function address(field: string, value: unknown): NonNullable<ReturnType<typeof parseIp>> {
  const ip = typeof value === 'string' ? parseIp(value) : null
  if (ip === null) return fail(`${field} must be an IP address`)
  if (ip.value === 0n) fail(`${field} must not be the unspecified address`)
  return ip
}

function vip(field: string, value: unknown, family: IpVersion): CheckedVip {
  const [text, prefixText, extra] = typeof value === 'string' ? value.split('/') : []
  const ip = text !== undefined && extra === undefined ? address(field, text) : fail(`${field} must be an address with a prefix length`)
  const bits = ip.version === 4 ? 32 : 128
  if (prefixText === undefined || !/^[0-9]{1,3}$/.test(prefixText) || Number(prefixText) < 1 || Number(prefixText) > bits) {
    fail(`${field} must be an address with a prefix length from 1 to ${bits}`)
  }
  const canonical = formatIp(ip)
  return Object.freeze({ address: canonical, withPrefix: `${canonical}/${Number(prefixText)}`, excluded: ip.version !== family })
}

function unique(field: string, addresses: readonly string[]): void {
  if (new Set(addresses).size !== addresses.length) fail(`${field}: ownIp, peerIps and vips must be different addresses`)
}

/**
 * An integer 1..255 over IPv4 is VRRPv2 (keepalived's default, with
 * authentication); any other interval is VRRPv3, whose field counts
 * centiseconds up to 4095; IPv6 has only VRRPv3.
 */
function interval(value: unknown, family: IpVersion): { version: 2 | 3; text: string } {
  if (typeof value !== 'number' || !Number.isFinite(value)) return fail('advertInt must be a number of seconds')
  if (Number.isInteger(value) && family === 4) return { version: 2, text: String(integer('advertInt', value, 1, 255)) }
  const centis = Math.round(value * 100)
  if (Math.abs(centis - value * 100) > 1e-6 || centis < 1 || centis > 4095) {
    fail('advertInt must be an integer from 1 to 255 (IPv4) or a multiple of 0.01 from 0.01 to 40.95')
  }
  return { version: 3, text: String(centis / 100) }
}
