import { startService, type IniSections, type ServiceProcess } from '../e2e/support/service-process.js'
import { startKeystone, type KeystoneOptions, type KeystoneServer } from './keystone.js'
import { issueToken, KeystoneAdmin, type UserCredentials } from './keystone-admin.js'

// A small cloud for the keystone end-to-end tests: a throw-away Keystone with
// Octavia's roles, a service user for octavia-ts, projects and users with the
// roles of the acceptance, and `octavia-ts serve` with auth_strategy = keystone
// registered in the catalog as `load-balancer` and `network`.

/** Octavia's advanced-RBAC roles, plus Keystone's default roles and `service`. */
export const OCTAVIA_ROLES = [
  'load-balancer_member', 'load-balancer_observer', 'load-balancer_global_observer',
  'load-balancer_quota_admin', 'load-balancer_admin', 'member', 'reader', 'admin', 'service',
] as const

/** Who exists in the cloud: user name → (project, roles). */
const PEOPLE = {
  /** octavia-ts's own service user ([keystone_authtoken]). */
  octavia: { project: 'service', roles: ['service'] },
  /** load-balancer_member of project alpha. */
  alice: { project: 'alpha', roles: ['load-balancer_member'] },
  /** load-balancer_observer of project alpha. */
  oscar: { project: 'alpha', roles: ['load-balancer_observer'] },
  /** Keystone's default `member` role in project alpha (Keystone adds the implied `reader`). */
  mia: { project: 'alpha', roles: ['member'] },
  /** Keystone's default `reader` role only, in project alpha. */
  rita: { project: 'alpha', roles: ['reader'] },
  /** load-balancer_member of project beta. */
  bob: { project: 'beta', roles: ['load-balancer_member'] },
  /** load-balancer_global_observer (project gamma). */
  gloria: { project: 'gamma', roles: ['load-balancer_global_observer'] },
  /** load-balancer_quota_admin (project gamma). */
  quentin: { project: 'gamma', roles: ['load-balancer_quota_admin'] },
  /** load-balancer_admin (project ops). */
  adele: { project: 'ops', roles: ['load-balancer_admin'] },
  /** A user with no role that Octavia knows (project gamma). */
  nobody: { project: 'gamma', roles: ['other'] },
} as const

export type Person = keyof typeof PEOPLE

/** The cloud's Keystone with everyone in it. */
export interface KeystoneCloud {
  readonly keystone: KeystoneServer
  readonly admin: KeystoneAdmin
  /** Credentials of each person (userId and projectId filled in), plus `cloudadmin` (the bootstrap admin). */
  readonly users: Readonly<Record<Person | 'cloudadmin', Required<UserCredentials>>>
  /** Project name → id. */
  readonly projects: Readonly<Record<string, string>>
  /** A fresh project-scoped token of `who`. */
  token(who: Person | 'cloudadmin'): Promise<string>
  /** `[keystone_authtoken]` for octavia-ts. */
  readonly authtoken: Readonly<Record<string, string>>
  dispose(): Promise<void>
}

/** Starts Keystone and creates the roles, projects and users (about 10–15 s). */
export async function startKeystoneCloud(opts: KeystoneOptions = {}): Promise<KeystoneCloud> {
  const keystone = await startKeystone(opts)
  try {
    const admin = await KeystoneAdmin.login(keystone.url, keystone.adminPassword)
    for (const role of OCTAVIA_ROLES) await admin.ensureRole(role)
    const projects: Record<string, string> = {}
    for (const name of new Set(['admin', ...Object.values(PEOPLE).map(p => p.project)])) projects[name] = await admin.createProject(name)
    const users: Record<string, Required<UserCredentials>> = {}
    for (const [name, p] of Object.entries(PEOPLE)) {
      const password = `pw-${name}-${Math.random().toString(36).slice(2, 10)}`
      const userId = await admin.createUser(name, password, projects[p.project])
      for (const role of p.roles) await admin.grant(projects[p.project], userId, role)
      users[name] = { username: name, password, projectName: p.project, userId, projectId: projects[p.project] }
    }
    const adminUser = (await admin.request('GET', '/users?name=admin')).body.users[0].id as string
    users.cloudadmin = { username: 'admin', password: keystone.adminPassword, projectName: 'admin', userId: adminUser, projectId: projects.admin }
    const authtoken = {
      www_authenticate_uri: `${keystone.url}/v3`,
      auth_url: keystone.url,
      auth_type: 'password',
      username: 'octavia',
      password: users.octavia.password,
      project_name: 'service',
      user_domain_name: 'Default',
      project_domain_name: 'Default',
      memcached_servers: '127.0.0.1:11211',
      service_token_roles_required: 'true',
    }
    return {
      keystone, admin, projects, authtoken,
      users: users as KeystoneCloud['users'],
      token: who => issueToken(keystone.url, users[who]),
      dispose: () => keystone.dispose(),
    }
  } catch (err) {
    await keystone.dispose()
    throw err
  }
}

/**
 * Starts `octavia-ts serve` with auth_strategy = keystone against the cloud
 * (and `[oslo_policy] enforce_new_defaults = false`, Octavia 11's default,
 * said explicitly) and registers it in the catalog as `load-balancer`
 * (octavia) and `network` (its Neutron-compatible listener, discoverable as
 * Neutron; the API port when a test disables that listener).
 */
export async function startOctaviaWithKeystone(cloud: KeystoneCloud, sections: IniSections = {}): Promise<ServiceProcess> {
  const svc = await startService({
    sections: {
      ...sections,
      api_settings: { auth_strategy: 'keystone', ...(sections.api_settings ?? {}) },
      // NOTE: with it, a load-balancer_* role of the project suffices (the deprecated checks of Octavia 11's rules).
      oslo_policy: { enforce_new_defaults: 'false', ...(sections.oslo_policy ?? {}) },
      keystone_authtoken: { ...cloud.authtoken, ...(sections.keystone_authtoken ?? {}) },
    },
  })
  try {
    await cloud.admin.registerService('load-balancer', 'octavia', svc.url)
    await cloud.admin.registerService('network', 'neutron', svc.neutronUrl ?? svc.url)
  } catch (err) {
    await svc.dispose()
    throw err
  }
  return svc
}
