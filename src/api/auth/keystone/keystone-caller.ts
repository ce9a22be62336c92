import type { Caller } from '../caller.js'
import type { TokenInfo } from './token-info.js'

/**
 * Roles that make a token's caller admin by themselves: Keystone's `admin`, which
 * passes Octavia's `context_is_admin` under the old and the new defaults alike.
 * Other roles (the deprecated `load-balancer_admin`, rules of a policy file)
 * are left to the policy engine, which ORs `context_is_admin` into `is_admin`.
 */
export const ADMIN_ROLES: readonly string[] = ['admin']

/**
 * The Caller of a validated token: its project ('' when the token is not
 * scoped to a project: such a caller owns nothing), user, role names and
 * domains; `isAdmin` when it has one of ADMIN_ROLES.
 */
export function callerFromToken(info: TokenInfo): Caller {
  return Object.freeze({
    projectId: info.projectId ?? '',
    isAdmin: info.roles.some(r => ADMIN_ROLES.includes(r)),
    roles: info.roles,
    userId: info.userId,
    userDomainId: info.userDomainId,
    projectDomainId: info.projectDomainId,
    domainId: info.domainId,
    systemScope: info.systemScope,
  })
}

/** The caller of the paths that need no token (version discovery, health check): no project, no roles. */
export const ANONYMOUS_CALLER: Caller = Object.freeze({ projectId: '', isAdmin: false, roles: Object.freeze([]), userId: null })
