import { matcher, type Matcher } from './field-match.js'

/** A subnet as the Neutron-compatible `GET /v2.0/subnets` shows it (the fields the tests use). */
export interface NeutronSubnet {
  readonly id: string
  readonly name: string
  readonly network_id: string
  readonly cidr: string
  readonly ip_version: number
}

const toInt = (ip: string): number => ip.split('.').reduce((n, o) => n * 256 + Number(o), 0)
const toIp = (n: number): string => [24, 16, 8, 0].map(s => Math.floor(n / 2 ** s) % 256).join('.')

/** The `offset`-th address of an IPv4 subnet (e.g. offset 200 of 10.0.0.0/24 is 10.0.0.200). */
export function addressInSubnet(subnet: NeutronSubnet, offset: number): string {
  const [base, bits] = subnet.cidr.split('/')
  if (subnet.ip_version !== 4 || Number(bits) > 24) throw new Error(`tests need an IPv4 subnet of /24 or larger, got ${subnet.cidr}`)
  return toIp(toInt(base) + offset)
}

/** Matches an IPv4 address inside the subnet's CIDR. */
export const inSubnet = (subnet: NeutronSubnet): Matcher => matcher(`an address in ${subnet.cidr}`, v => {
  if (typeof v !== 'string' || !/^(\d{1,3}\.){3}\d{1,3}$/.test(v)) return false
  const [base, bits] = subnet.cidr.split('/')
  const size = 2 ** (32 - Number(bits))
  return Math.floor(toInt(v) / size) === Math.floor(toInt(base) / size)
})
