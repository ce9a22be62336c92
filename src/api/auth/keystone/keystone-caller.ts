import type { Caller } from '../caller.js'
import type { TokenInfo } from './token-info.js'

/**
 * The Caller of a validated token: its project ('' when the token is not
 * scoped to a project: such a caller owns nothing), user, role names, domains
 * and system scope. `isAdmin` is false: as in Octavia, whether a token is
 * admin is the policy's `context_is_admin` (Octavia 11: `admin` or
 * `load-balancer_admin` while the deprecated defaults count, else
 * `load-balancer_admin` or a system-scoped `admin`), never a role by itself.
 * `authToken` is the validated token itself, kept for calls made on the
 * caller's behalf.
 */
export function callerFromToken(info: TokenInfo, authToken: string | null = null): Caller {
  return Object.freeze({
    projectId: info.projectId ?? '',
    isAdmin: false,
    roles: info.roles,
    userId: info.userId,
    userDomainId: info.userDomainId,
    projectDomainId: info.projectDomainId,
    domainId: info.domainId,
    systemScope: info.systemScope,
    authToken,
  })
}

/** The caller of the paths that need no token (version discovery, health check): no project, no roles. */
export const ANONYMOUS_CALLER: Caller = Object.freeze({ projectId: '', isAdmin: false, roles: Object.freeze([]), userId: null })
