import { fetchRetryingResets } from './reset-retry.js'

// A small client of a test Keystone's v3 API: what the end-to-end tests need to
// set up a cloud (projects, users, roles, catalog) and to get real tokens.
// Every request retries a dropped connection (reset-retry.ts); creations that
// may thus be replayed take a 409 as "already there".

/** Keystone's answer. */
export interface KeystoneReply {
  readonly status: number
  readonly body: any
  readonly subjectToken: string | null
}

/** A password-authenticated user scoped to a project. */
export interface UserCredentials {
  readonly username: string
  readonly password: string
  readonly projectName: string
  /** Filled in by the fixture. */
  readonly userId?: string
  readonly projectId?: string
}

/** Sends one request to `<url>/v3<path>` (loopback only), retrying a dropped connection; JSON in, JSON out. */
export async function keystoneRequest(url: string, method: string, path: string, opts: { token?: string; subject?: string; body?: unknown } = {}): Promise<KeystoneReply> {
  const headers: Record<string, string> = { accept: 'application/json' }
  if (opts.token) headers['x-auth-token'] = opts.token
  if (opts.subject) headers['x-subject-token'] = opts.subject
  if (opts.body !== undefined) headers['content-type'] = 'application/json'
  const res = await fetchRetryingResets(`${url}/v3${path}`, {
    method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
  })
  const text = await res.text()
  let body: unknown = text
  try { body = text ? JSON.parse(text) : null } catch { /* not JSON */ }
  return { status: res.status, body, subjectToken: res.headers.get('x-subject-token') }
}

const expect = (r: KeystoneReply, status: number, what: string): KeystoneReply => {
  if (r.status !== status) throw new Error(`keystone: ${what}: HTTP ${r.status} ${JSON.stringify(r.body)}`)
  return r
}

/** Issues a project-scoped token for a user of the Default domain (password auth). */
export async function issueToken(url: string, user: Pick<UserCredentials, 'username' | 'password' | 'projectName'>): Promise<string> {
  const r = await keystoneRequest(url, 'POST', '/auth/tokens', {
    body: {
      auth: {
        identity: { methods: ['password'], password: { user: { name: user.username, domain: { id: 'default' }, password: user.password } } },
        scope: { project: { name: user.projectName, domain: { id: 'default' } } },
      },
    },
  })
  expect(r, 201, `token for ${user.username}`)
  return r.subjectToken as string
}

/** Keystone administration with the bootstrap admin's token. */
export class KeystoneAdmin {
  readonly url: string
  readonly #token: string

  private constructor(url: string, token: string) {
    this.url = url
    this.#token = token
  }

  /** Logs in as the bootstrap `admin` (project `admin`). */
  static async login(url: string, adminPassword: string): Promise<KeystoneAdmin> {
    return new KeystoneAdmin(url, await issueToken(url, { username: 'admin', password: adminPassword, projectName: 'admin' }))
  }

  request(method: string, path: string, body?: unknown): Promise<KeystoneReply> {
    return keystoneRequest(this.url, method, path, { token: this.#token, body })
  }

  async #findByName(collection: string, name: string): Promise<string | null> {
    const r = expect(await this.request('GET', `/${collection}?name=${encodeURIComponent(name)}`), 200, `list ${collection}`)
    return r.body[collection][0]?.id ?? null
  }

  /** POSTs `body` to `/<collection>` and returns the new id; a 409 (a replayed create) returns the one of that name. */
  async #create(collection: string, singular: string, name: string, body: unknown): Promise<string> {
    const r = await this.request('POST', `/${collection}`, body)
    const found = r.status === 409 ? await this.#findByName(collection, name) : null
    return found ?? expect(r, 201, `${singular} ${name}`).body[singular].id
  }

  async createProject(name: string): Promise<string> {
    return (await this.#findByName('projects', name))
      ?? this.#create('projects', 'project', name, { project: { name, domain_id: 'default', enabled: true } })
  }

  async createUser(name: string, password: string, defaultProjectId?: string): Promise<string> {
    return this.#create('users', 'user', name, { user: { name, password, domain_id: 'default', enabled: true, default_project_id: defaultProjectId } })
  }

  /** The role's id, created when missing. */
  async ensureRole(name: string): Promise<string> {
    return (await this.#findByName('roles', name)) ?? this.#create('roles', 'role', name, { role: { name } })
  }

  async grant(projectId: string, userId: string, roleName: string): Promise<void> {
    const roleId = await this.ensureRole(roleName)
    expect(await this.request('PUT', `/projects/${projectId}/users/${userId}/roles/${roleId}`), 204, `grant ${roleName}`)
  }

  /** Registers a service with public, internal and admin endpoints at `endpointUrl` in RegionOne. */
  async registerService(type: string, name: string, endpointUrl: string): Promise<void> {
    const svc = expect(await this.request('POST', '/services', { service: { type, name, enabled: true } }), 201, `service ${name}`).body.service.id
    for (const iface of ['public', 'internal', 'admin']) {
      const body = { endpoint: { service_id: svc, interface: iface, url: endpointUrl, region_id: 'RegionOne', enabled: true } }
      expect(await this.request('POST', '/endpoints', body), 201, `endpoint ${name} ${iface}`)
    }
  }

  /** Revokes a token (`DELETE /v3/auth/tokens`). */
  async revoke(token: string): Promise<void> {
    expect(await keystoneRequest(this.url, 'DELETE', '/auth/tokens', { token: this.#token, subject: token }), 204, 'revoke token')
  }
}

/**
 * A token that expires `seconds` from now: issued through an application
 * credential of `user` whose `expires_at` is then (Keystone caps the token's
 * expiry at the credential's).
 */
export async function shortLivedToken(url: string, user: Required<Pick<UserCredentials, 'username' | 'password' | 'projectName' | 'userId'>>, seconds: number): Promise<{ token: string; expiresAt: number }> {
  const userToken = await issueToken(url, user)
  const expiresAt = new Date(Date.now() + seconds * 1000)
  const name = `short-${Math.random().toString(36).slice(2)}`
  const cred = await keystoneRequest(url, 'POST', `/users/${user.userId}/application_credentials`, {
    token: userToken, body: { application_credential: { name, expires_at: expiresAt.toISOString().replace(/Z$/, '') } },
  })
  expect(cred, 201, 'application credential')
  const r = await keystoneRequest(url, 'POST', '/auth/tokens', {
    body: { auth: { identity: { methods: ['application_credential'], application_credential: { id: cred.body.application_credential.id, secret: cred.body.application_credential.secret } } } },
  })
  expect(r, 201, 'token from application credential')
  return { token: r.subjectToken as string, expiresAt: Date.parse(r.body.token.expires_at) }
}
