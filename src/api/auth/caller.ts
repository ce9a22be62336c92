import type { FastifyRequest } from 'fastify'

/** Who is calling: set on every request by the auth strategy (noauth here; keystone later). */
export interface Caller {
  readonly projectId: string
  readonly isAdmin: boolean
  readonly roles: readonly string[]
  readonly userId: string | null
}

declare module 'fastify' {
  interface FastifyRequest {
    caller: Caller
  }
}

/**
 * noauth (Octavia's behaviour): the caller is admin; the project comes from the
 * `X-Project-Id` header, else the configured default project. The body's
 * `project_id` (admins may create for any project) is applied by each resource.
 */
export function noauthCaller(req: FastifyRequest, defaultProjectId: string): Caller {
  const header = req.headers['x-project-id']
  const projectId = (Array.isArray(header) ? header[0] : header) || defaultProjectId
  return { projectId, isAdmin: true, roles: ['admin'], userId: null }
}
