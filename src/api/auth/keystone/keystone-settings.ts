import type { Config } from '../../../common/config/schema.js'

/** The `[keystone_authtoken]` group as the keystone strategy uses it, checked and normalised. */
export interface KeystoneSettings {
  /** Identity v3 base URL, always ending in `/v3` (no trailing slash). */
  readonly identityUrl: string
  /** Value of the `WWW-Authenticate: Keystone uri="…"` header of a 401. */
  readonly wwwAuthenticateUri: string
  /** Body of `POST /v3/auth/tokens` that obtains the service token (contains the password). */
  readonly serviceAuthBody: unknown
  /** Milliseconds a validation result may be cached (never past the token's expiry); 0: no cache. */
  readonly cacheMs: number
  /** Milliseconds to wait for an answer of the Identity service. */
  readonly timeoutMs: number
  /** Extra attempts after a connection failure. */
  readonly connectRetries: number
  readonly cafile: string
  readonly insecure: boolean
}

type Group = Config['keystone_authtoken']

const fail = (option: string, why: string): never => {
  throw new Error(`invalid configuration: [keystone_authtoken] ${option}: ${why}`)
}

/** `http://h:5000`, `http://h:5000/`, `http://h:5000/v3/` → `http://h:5000/v3`. */
export function identityV3Url(authUrl: string): string {
  let url = authUrl.trim().replace(/\/+$/, '')
  if (!/^https?:\/\/[^/]/.test(url)) fail('auth_url', `expected an http(s) URL, got '${authUrl}'`)
  if (/\/v2\.0$/.test(url)) fail('auth_url', 'Identity v2.0 is not supported; use the v3 endpoint')
  if (!/\/v3$/.test(url)) url += '/v3'
  return url
}

const domainRef = (id: string, name: string, defaultId: string, defaultName: string): Record<string, string> =>
  id ? { id } : name ? { name } : defaultId ? { id: defaultId } : defaultName ? { name: defaultName } : { id: 'default' }

/**
 * Reads the group for `auth_strategy = keystone`. Throws an Error naming the
 * option when something the strategy needs is missing or malformed: auth_url,
 * username or user_id, password, and a project (project_name or project_id).
 */
export function keystoneSettings(g: Group): KeystoneSettings {
  if (!g.auth_url) fail('auth_url', 'required when [api_settings] auth_strategy = keystone')
  const identityUrl = identityV3Url(g.auth_url)
  if (!g.username && !g.user_id) fail('username', 'username or user_id is required when [api_settings] auth_strategy = keystone')
  if (!g.password) fail('password', 'required when [api_settings] auth_strategy = keystone')
  if (!g.project_name && !g.project_id) fail('project_name', 'project_name or project_id is required when [api_settings] auth_strategy = keystone')
  const user = g.user_id
    ? { id: g.user_id, password: g.password }
    : { name: g.username, password: g.password, domain: domainRef(g.user_domain_id, g.user_domain_name, g.default_domain_id, g.default_domain_name) }
  const project = g.project_id
    ? { id: g.project_id }
    : { name: g.project_name, domain: domainRef(g.project_domain_id, g.project_domain_name, g.default_domain_id, g.default_domain_name) }
  return Object.freeze({
    identityUrl,
    wwwAuthenticateUri: (g.www_authenticate_uri || g.auth_uri || identityUrl).trim(),
    serviceAuthBody: { auth: { identity: { methods: ['password'], password: { user } }, scope: { project } } },
    cacheMs: g.token_cache_time > 0 ? g.token_cache_time * 1000 : 0,
    timeoutMs: g.http_connect_timeout * 1000,
    connectRetries: g.http_request_max_retries,
    cafile: g.cafile,
    insecure: g.insecure,
  })
}
