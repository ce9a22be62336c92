/**
 * `[health_manager] controller_ip_port_list` entries: `ip:port`, split at the
 * last colon as Octavia does, so IPv6 works bracketed (`[::1]:5555`) or bare
 * (`::1:5555`); a host name is accepted too (resolved when sending).
 */
import { isIP } from 'node:net'

/** Where heartbeats go. */
export interface ControllerAddress {
  /** IP literal (no brackets) or host name. */
  readonly host: string
  readonly port: number
}

/** Parses one entry; throws an Error naming the entry when it is not `host:port`. */
export function parseControllerAddress(text: string): ControllerAddress {
  const entry = text.trim()
  const colon = entry.lastIndexOf(':')
  const fail = (why: string): never => { throw new Error(`invalid controller address '${text}': ${why}`) }
  if (colon <= 0) fail('expected ip:port')
  let host = entry.slice(0, colon)
  const portText = entry.slice(colon + 1)
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1)
  const port = Number(portText)
  if (!/^\d+$/.test(portText) || port < 1 || port > 65535) fail('port must be 1-65535')
  if (host === '') fail('empty host')
  // A colon left in the host can only be an IPv6 address.
  if (host.includes(':') && isIP(host) !== 6) fail('not an IPv6 address')
  if (!host.includes(':') && isIP(host) === 0 && !/^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$/.test(host)) fail('not an ip address or host name')
  return { host, port }
}
