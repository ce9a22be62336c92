import { validationFailure } from '../../../common/errors.js'

/** Listener protocols (octavia-lib LISTENER_SUPPORTED_PROTOCOLS). */
export const LISTENER_PROTOCOLS = ['HTTP', 'HTTPS', 'TCP', 'TERMINATED_HTTPS', 'UDP', 'SCTP', 'PROMETHEUS'] as const
export type ListenerProtocol = typeof LISTENER_PROTOCOLS[number]

/** Pool protocols (octavia-lib POOL_SUPPORTED_PROTOCOLS). */
export const POOL_PROTOCOLS = ['HTTP', 'HTTPS', 'PROXY', 'PROXYV2', 'TCP', 'UDP', 'SCTP'] as const
export type PoolProtocol = typeof POOL_PROTOCOLS[number]

/** Which pool protocols a listener of each protocol may send traffic to (Octavia's VALID_LISTENER_POOL_PROTOCOL_MAP). */
export const LISTENER_POOL_PROTOCOLS: Readonly<Record<string, readonly string[]>> = {
  TCP: ['HTTP', 'HTTPS', 'PROXY', 'PROXYV2', 'TCP'],
  HTTP: ['HTTP', 'PROXY', 'PROXYV2'],
  HTTPS: ['HTTPS', 'PROXY', 'PROXYV2', 'TCP'],
  TERMINATED_HTTPS: ['HTTP', 'PROXY', 'PROXYV2'],
  UDP: ['UDP'],
  SCTP: ['SCTP'],
  PROMETHEUS: [],
}

/** The L4 family of each protocol: listeners of one family cannot share a port on one load balancer. */
export const L4_FAMILY: Readonly<Record<string, string>> = {
  TCP: 'TCP', HTTP: 'TCP', HTTPS: 'TCP', TERMINATED_HTTPS: 'TCP', PROXY: 'TCP', PROXYV2: 'TCP', PROMETHEUS: 'TCP',
  UDP: 'UDP', SCTP: 'SCTP',
}

/** Datagram protocols: no TLS, no header insertion, SOURCE_IP persistence only. */
export const isDatagram = (protocol: string): boolean => protocol === 'UDP' || protocol === 'SCTP'

/** Protocols whose listeners may insert HTTP headers. */
export const HEADER_INSERTION_PROTOCOLS: readonly string[] = ['HTTP', 'TERMINATED_HTTPS']

/** Plain HTTP headers a listener may insert (octavia-lib SUPPORTED_HTTP_HEADERS). */
export const HTTP_HEADERS: readonly string[] = [
  'X-Forwarded-For', 'X-Forwarded-Port', 'X-Forwarded-Proto', 'X-Forwarded-IP', 'X-Client-IP', 'X-Real-IP',
]

/** Client-certificate headers, TERMINATED_HTTPS only (octavia-lib SUPPORTED_SSL_HEADERS). */
export const SSL_HEADERS: readonly string[] = [
  'X-SSL-Client-Verify', 'X-SSL-Client-Has-Cert', 'X-SSL-Client-DN', 'X-SSL-Client-CN', 'X-SSL-Issuer',
  'X-SSL-Client-SHA1', 'X-SSL-Client-Not-Before', 'X-SSL-Client-Not-After',
]

/**
 * Throws Octavia's 400 when a pool of `poolProtocol` cannot serve a listener
 * of `listenerProtocol`.
 */
export function checkPoolProtocol(listenerProtocol: string, poolProtocol: string): void {
  if ((LISTENER_POOL_PROTOCOLS[listenerProtocol] ?? []).includes(poolProtocol)) return
  throw validationFailure(
    `The pool protocol '${poolProtocol}' is invalid while the listener protocol is '${listenerProtocol}'.`)
}
