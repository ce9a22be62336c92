import { forbidden } from '../../../common/errors.js'
import type { Caller } from '../../auth/caller.js'

/**
 * Octavia's default RBAC for L7 policies and rules, reduced to what noauth
 * and the project-scoped roles need: admins see everything; others only the
 * objects of their own project (403 `Policy does not allow this request to be
 * performed.`), and lists are silently restricted to their project.
 */
export function assertProjectAccess(caller: Caller, projectId: string | null): void {
  if (!caller.isAdmin && projectId !== caller.projectId) throw forbidden()
}

/** The project a list is restricted to, or null for all projects. */
export const listScope = (caller: Caller): string | null => (caller.isAdmin ? null : caller.projectId)
