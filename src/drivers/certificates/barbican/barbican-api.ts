/**
 * The few calls of Barbican's v1 API that Octavia's barbican certificate
 * manager makes: a secret's payload, a certificate container's secret refs,
 * and adding a user to the read ACL of a secret or container. Each call
 * takes the base URL (`…/v1`) and the token to send.
 */
import { parseBarbicanRef, refUrl, type BarbicanRef } from './barbican-ref.js'
import { jsonOf, type HttpReply, type OpenstackHttp } from './openstack-http.js'

/** Barbican refused or failed a call. `status` is null when no answer came. The message names the URL and status only. */
export class BarbicanCallError extends Error {
  constructor(readonly status: number | null, message: string, opts?: ErrorOptions) {
    super(message, opts)
    this.name = 'BarbicanCallError'
  }
}

/** Who calls: the base URL and the token. */
export interface BarbicanCaller {
  readonly base: string
  readonly token: string
  readonly signal?: AbortSignal
}

export class BarbicanApi {
  readonly #http: OpenstackHttp

  constructor(http: OpenstackHttp) {
    this.#http = http
  }

  /**
   * The payload of a secret: its metadata names the default content type,
   * which the payload request accepts (as python-barbicanclient does).
   */
  async secretPayload(caller: BarbicanCaller, secret: BarbicanRef): Promise<Buffer> {
    const meta = jsonOf(await this.#call(caller, 'GET', refUrl(caller.base, secret), 'application/json')) as { content_types?: { default?: string } } | null
    const contentType = meta?.content_types?.default
    if (!contentType) throw new BarbicanCallError(null, `secret ${secret.id} has no payload`)
    return (await this.#call(caller, 'GET', `${refUrl(caller.base, secret)}/payload`, contentType)).body
  }

  /** The secret refs of a certificate container by name (`certificate`, `private_key`, `private_key_passphrase`, `intermediates`). */
  async certificateContainer(caller: BarbicanCaller, container: BarbicanRef): Promise<ReadonlyMap<string, BarbicanRef>> {
    const body = jsonOf(await this.#call(caller, 'GET', refUrl(caller.base, container), 'application/json')) as
      | { type?: string; secret_refs?: { name?: string; secret_ref?: string }[] }
      | null
    if (body?.type !== 'certificate') throw new BarbicanCallError(null, `container ${container.id} is not a certificate container`)
    const refs = new Map<string, BarbicanRef>()
    for (const entry of body.secret_refs ?? []) {
      const parsed = entry.secret_ref ? parseBarbicanRef(entry.secret_ref) : null
      if (entry.name && parsed?.kind === 'secrets') refs.set(entry.name, parsed)
    }
    return refs
  }

  /** Adds `userId` to the read ACL of `target` unless it is there (Octavia's ensure_secret_access), keeping project access as it was. */
  async ensureReadAcl(caller: BarbicanCaller, target: BarbicanRef, userId: string): Promise<void> {
    const url = `${refUrl(caller.base, target)}/acl`
    const acl = jsonOf(await this.#call(caller, 'GET', url, 'application/json')) as { read?: { users?: string[]; 'project-access'?: boolean } } | null
    const users = acl?.read?.users ?? []
    if (users.includes(userId)) return
    const read = { users: [...users, userId], 'project-access': acl?.read?.['project-access'] ?? true }
    await this.#call(caller, 'PUT', url, 'application/json', { read })
  }

  async #call(caller: BarbicanCaller, method: 'GET' | 'PUT', url: string, accept: string, json?: unknown): Promise<HttpReply> {
    let reply: HttpReply
    try {
      reply = await this.#http.send({ method, url, json, headers: { accept, 'x-auth-token': caller.token }, signal: caller.signal })
    } catch (err) {
      throw new BarbicanCallError(null, (err as Error).message, { cause: err })
    }
    if (reply.status >= 200 && reply.status < 300) return reply
    throw new BarbicanCallError(reply.status, `${method} ${url}: HTTP ${reply.status}`)
  }
}
