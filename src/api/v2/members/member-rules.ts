import { isIPv4, isIPv6 } from 'node:net'
import { badRequest, invalidOption, LbaasError } from '../../../common/errors.js'
import type { LoadBalancerRow } from '../../../db/schema.js'
import type { ApiDeps } from '../../deps.js'

/**
 * An IP address in Python's `ipaddress(...).exploded.upper()` form, the form
 * Octavia compares against `[networking] reserved_ips` and quotes in errors.
 */
export function explodeIp(ip: string): string {
  if (isIPv4(ip)) return ip
  if (!isIPv6(ip)) return ip.toUpperCase()
  let text = ip.split('%')[0]
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text)
  if (v4) {
    const o = v4[1].split('.').map(Number)
    text = text.slice(0, -v4[1].length) + `${((o[0] << 8) | o[1]).toString(16)}:${((o[2] << 8) | o[3]).toString(16)}`
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, null]
  const left = head ? head.split(':') : []
  const right = tail ? tail.split(':') : []
  const groups = tail === null ? left : [...left, ...Array(8 - left.length - right.length).fill('0'), ...right]
  return groups.map(g => g.padStart(4, '0')).join(':').toUpperCase()
}

/** 400 `<ip> is not a valid option for member address` when the address is reserved. */
export function checkAddressNotReserved(deps: ApiDeps, address: string): void {
  const exploded = explodeIp(address)
  const reserved = deps.config.networking.reserved_ips.map(explodeIp)
  if (reserved.includes(exploded)) throw invalidOption(exploded, 'member address')
}

/**
 * The member's subnet must exist. Octavia's network driver raises for an
 * unknown subnet, which the API turns into 400 `Subnet <id> not found.`
 */
export function checkSubnetExists(deps: ApiDeps, subnetId: string | null | undefined): void {
  if (subnetId && !deps.network.getSubnet(subnetId)) {
    throw new LbaasError('invalid_subresource', 400, `Subnet ${subnetId} not found.`)
  }
}

/**
 * SR-IOV member ports need a flavor with `allow_member_sriov: true`.
 * NOTE: there are no flavors yet, so every load balancer refuses them.
 */
export function checkSriovAllowed(_lb: LoadBalancerRow | null, requested: boolean | null | undefined): void {
  if (requested) throw badRequest('The load balancer flavor does not allow SR-IOV member ports.', 'sriov_disabled')
}
