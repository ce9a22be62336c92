import type { FastifyInstance, FastifyRequest } from 'fastify'

const header = (req: FastifyRequest, name: string): string | undefined => {
  const v = req.headers[name]
  return Array.isArray(v) ? v[0] : v
}

/**
 * TEST ONLY (never part of a production auth strategy): a request carrying
 * `x-test-roles: member,reader` is made by a token-like caller of project
 * `x-test-project` (none when absent; `x-test-system-scope: all` for a
 * system-scoped token) with exactly those roles and no
 * strategy-given admin flag, as a Keystone token would be; the policy decides
 * everything. `x-test-token` becomes the caller's authToken. Requests without the header keep the configured strategy's
 * caller. Pass to startHarness as its `setup`.
 */
export function installHeaderCallers(app: FastifyInstance): void {
  app.addHook('onRequest', async req => {
    const roles = header(req, 'x-test-roles')
    if (roles === undefined) return
    req.caller = {
      projectId: header(req, 'x-test-project') ?? '',
      isAdmin: false,
      roles: roles.split(',').map(r => r.trim()).filter(r => r !== ''),
      userId: 'test-user',
      systemScope: header(req, 'x-test-system-scope') ?? null,
      authToken: header(req, 'x-test-token') ?? null,
    }
  })
}

/** Headers for a request as a caller of `project` (null: a token without project) with `roles`. */
export const as = (project: string | null, ...roles: string[]): Record<string, string> =>
  project === null ? { 'x-test-roles': roles.join(',') } : { 'x-test-project': project, 'x-test-roles': roles.join(',') }

/** Headers for a request as a system-scoped token (`system: all`, no project) with `roles`. */
export const asSystem = (...roles: string[]): Record<string, string> => ({ 'x-test-roles': roles.join(','), 'x-test-system-scope': 'all' })
