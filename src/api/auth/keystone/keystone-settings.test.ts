import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { loadConfig } from '../../../common/config/load.js'
import { identityV3Url, keystoneSettings } from './keystone-settings.js'

const group = (opts: Record<string, string>) => loadConfig(undefined,
  Object.fromEntries(Object.entries(opts).map(([k, v]) => [`OCTAVIA_TS__keystone_authtoken__${k}`, v]))).keystone_authtoken
const complete = { auth_url: 'http://127.0.0.1:5000', username: 'octavia', password: 'pw', project_name: 'service' }

describe('[keystone_authtoken] settings', () => {
  it('when auth_url has no version, then /v3 is added; a trailing slash or /v3 is kept as v3', () => {
    assert.equal(identityV3Url('http://k:5000'), 'http://k:5000/v3')
    assert.equal(identityV3Url('http://k:5000/'), 'http://k:5000/v3')
    assert.equal(identityV3Url('https://k/identity/v3/'), 'https://k/identity/v3')
  })

  it('when auth_url names Identity v2.0 or is not a URL, then the configuration is refused', () => {
    assert.throws(() => identityV3Url('http://k:5000/v2.0'), /\[keystone_authtoken\] auth_url: Identity v2.0 is not supported/)
    assert.throws(() => identityV3Url('k:5000'), /\[keystone_authtoken\] auth_url: expected an http\(s\) URL/)
  })

  it('when an option the strategy needs is missing, then the error names it', () => {
    assert.throws(() => keystoneSettings(group({ ...complete, auth_url: '' })), /\[keystone_authtoken\] auth_url: required/)
    assert.throws(() => keystoneSettings(group({ ...complete, username: '' })), /\[keystone_authtoken\] username: username or user_id/)
    assert.throws(() => keystoneSettings(group({ ...complete, password: '' })), /\[keystone_authtoken\] password: required/)
    assert.throws(() => keystoneSettings(group({ ...complete, project_name: '' })), /\[keystone_authtoken\] project_name: project_name or project_id/)
  })

  it('when octavia.conf names users and projects by name and domain name, then the service login says so', () => {
    const s = keystoneSettings(group({ ...complete, user_domain_name: 'Default', project_domain_name: 'Default', www_authenticate_uri: 'http://public:5000/v3' }))
    assert.deepEqual(s.serviceAuthBody, {
      auth: {
        identity: { methods: ['password'], password: { user: { name: 'octavia', password: 'pw', domain: { name: 'Default' } } } },
        scope: { project: { name: 'service', domain: { name: 'Default' } } },
      },
    })
    assert.equal(s.wwwAuthenticateUri, 'http://public:5000/v3')
    assert.equal(s.identityUrl, 'http://127.0.0.1:5000/v3')
    assert.equal(s.cacheMs, 300_000)
  })

  it('when no domain and no www_authenticate_uri are given, then the default domain and auth_url are used', () => {
    const s = keystoneSettings(group({ ...complete, token_cache_time: '-1' }))
    const body = s.serviceAuthBody as any
    assert.deepEqual(body.auth.identity.password.user.domain, { id: 'default' })
    assert.deepEqual(body.auth.scope.project.domain, { id: 'default' })
    assert.equal(s.wwwAuthenticateUri, 'http://127.0.0.1:5000/v3')
    assert.equal(s.cacheMs, 0)
  })

  it('when ids are given, then they win over names', () => {
    const body = keystoneSettings(group({ ...complete, user_id: 'u-1', project_id: 'p-1' })).serviceAuthBody as any
    assert.deepEqual(body.auth.identity.password.user, { id: 'u-1', password: 'pw' })
    assert.deepEqual(body.auth.scope.project, { id: 'p-1' })
  })

  it('when a deployment\'s octavia.conf sets keystonemiddleware options octavia-ts does not use, then they load', () => {
    const g = group({ ...complete, memcached_servers: '127.0.0.1:11211', service_token_roles_required: 'true', interface: 'internal', region_name: 'RegionOne' })
    assert.deepEqual(g.memcached_servers, ['127.0.0.1:11211'])
  })
})
