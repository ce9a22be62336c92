/**
 * oslo.messaging's `[oslo_messaging] transport_url`, RabbitMQ form:
 * `rabbit://user:pass@host1:5672,user:pass@host2:5672/virtual_host?query`.
 *
 * Facts taken from oslo.messaging's TransportURL: hosts are separated by
 * commas, each with its own optional credentials; user names, passwords and
 * the virtual host are percent-decoded; the virtual host is the path without
 * its leading slash. An empty virtual host means the broker's default, `/`
 * (write `/%2F` or leave it empty for it). The query (driver options such as
 * `ssl`) is not interpreted here: its keys are returned so the caller can say
 * they are ignored.
 */

/** One broker of the URL; `username`/`password` are decoded (guest/guest when absent, as amqplib). */
export interface RabbitHost {
  readonly hostname: string
  readonly port: number
  readonly username: string
  readonly password: string
}

export interface RabbitTransport {
  /** Brokers in URL order; the bus fails over between them. */
  readonly hosts: readonly RabbitHost[]
  readonly vhost: string
  /** Query keys that are accepted and not interpreted. */
  readonly ignoredOptions: readonly string[]
}

/** The transport a `transport_url` selects: none (empty: the in-process bus) or RabbitMQ. */
export type TransportChoice = { readonly kind: 'in-process' } | { readonly kind: 'rabbit'; readonly transport: RabbitTransport }

/** Thrown for a transport_url this service cannot use; the message never contains the URL's credentials. */
export class TransportUrlError extends Error {
  override readonly name = 'TransportUrlError'
}

export const DEFAULT_AMQP_PORT = 5672
const SCHEME = 'rabbit://'

/** Chooses the transport from `transport_url`. Throws TransportUrlError for any other scheme or a malformed URL. */
export function parseTransportUrl(url: string): TransportChoice {
  const trimmed = url.trim()
  if (trimmed === '') return { kind: 'in-process' }
  if (!trimmed.toLowerCase().startsWith(SCHEME)) {
    const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(trimmed)?.[1] ?? '(none)'
    throw new TransportUrlError(`[oslo_messaging] transport_url: unsupported transport '${scheme}'; use rabbit://user:pass@host:5672/vhost or leave it empty for the in-process bus`)
  }
  return { kind: 'rabbit', transport: parseRabbitUrl(trimmed.slice(SCHEME.length)) }
}

function parseRabbitUrl(rest: string): RabbitTransport {
  const queryAt = rest.indexOf('?')
  const query = queryAt >= 0 ? rest.slice(queryAt + 1) : ''
  const withoutQuery = queryAt >= 0 ? rest.slice(0, queryAt) : rest
  const slash = withoutQuery.indexOf('/')
  const netloc = slash >= 0 ? withoutQuery.slice(0, slash) : withoutQuery
  const path = slash >= 0 ? withoutQuery.slice(slash + 1) : ''
  const hosts = netloc.split(',').filter(h => h !== '').map(parseHost)
  if (hosts.length === 0) throw new TransportUrlError('[oslo_messaging] transport_url: no RabbitMQ host')
  const vhost = decode(path, 'virtual host')
  const ignoredOptions = [...new URLSearchParams(query).keys()]
  return { hosts, vhost: vhost === '' ? '/' : vhost, ignoredOptions }
}

/** `[user[:pass]@]host[:port]`, host possibly `[ipv6]`; the credentials end at the last `@`. */
function parseHost(entry: string): RabbitHost {
  const at = entry.lastIndexOf('@')
  const credentials = at >= 0 ? entry.slice(0, at) : ''
  const address = at >= 0 ? entry.slice(at + 1) : entry
  const colon = credentials.indexOf(':')
  const username = at < 0 ? 'guest' : decode(colon >= 0 ? credentials.slice(0, colon) : credentials, 'user name')
  const password = at < 0 ? 'guest' : colon >= 0 ? decode(credentials.slice(colon + 1), 'password') : ''
  const m = /^(?:\[([^\]]+)\]|([^:[\]]+))(?::(\d*))?$/.exec(address)
  if (!m) throw new TransportUrlError(`[oslo_messaging] transport_url: malformed host '${address}'`)
  const port = m[3] ? Number(m[3]) : DEFAULT_AMQP_PORT
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new TransportUrlError(`[oslo_messaging] transport_url: bad port in '${address}'`)
  return { hostname: m[1] ?? m[2]!, port, username, password }
}

function decode(text: string, what: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    // NOTE: the text may be a password: it is not repeated in the message.
    throw new TransportUrlError(`[oslo_messaging] transport_url: malformed percent-encoding in the ${what}`)
  }
}

/** `host:port` of a broker, for logs (never its credentials). */
export const brokerLabel = (h: RabbitHost): string => (h.hostname.includes(':') ? `[${h.hostname}]:${h.port}` : `${h.hostname}:${h.port}`)
