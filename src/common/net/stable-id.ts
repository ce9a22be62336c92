import { createHash } from 'node:crypto'

/** The namespace of every id octavia-ts derives from a name (fixed forever: changing it changes all ids). */
export const OCTAVIA_TS_NAMESPACE = 'ca7fcc91-c0bf-43ec-a9cf-86cb6808976e'

/** RFC 4122 version-5 UUID (SHA-1) of `name` in `namespace`. */
export function uuidV5(namespace: string, name: string): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex')
  if (ns.length !== 16) throw new Error(`invalid namespace UUID '${namespace}'`)
  const hash = createHash('sha1').update(ns).update(name, 'utf8').digest()
  hash[6] = (hash[6] & 0x0f) | 0x50
  hash[8] = (hash[8] & 0x3f) | 0x80
  const hex = hash.subarray(0, 16).toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

/**
 * The stable id of a declared object: the same kind and name give the same
 * UUID on every start and every host (`network:public`, `subnet:public-subnet`).
 */
export const stableId = (kind: 'network' | 'subnet', name: string): string =>
  uuidV5(OCTAVIA_TS_NAMESPACE, `${kind}:${name}`)

/** A Neutron-style MAC address (fa:16:3e prefix) derived from a port id. */
export function macAddressOf(portId: string): string {
  const h = createHash('sha1').update(portId).digest()
  return ['fa', '16', '3e', ...[h[0], h[1], h[2]].map(b => b.toString(16).padStart(2, '0'))].join(':')
}
