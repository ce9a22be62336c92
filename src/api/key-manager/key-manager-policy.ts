import type { Caller } from '../auth/caller.js'
import { notAllowed } from './key-manager-error.js'

/** Barbican's policy actions of the subset served here. */
export type KeyManagerAction =
  | 'secrets:post' | 'secrets:get' | 'secret:get' | 'secret:decrypt' | 'secret:put' | 'secret:delete'
  | 'containers:post' | 'containers:get' | 'container:get' | 'container:delete'

/** The project that owns the secret or container an action is about. */
export interface KeyManagerOwner {
  readonly projectId: string
}

const isMember = (c: Caller): boolean => c.roles.includes('member') || c.roles.includes('admin')
const isAdmin = (c: Caller): boolean => c.roles.includes('admin')

/**
 * Barbican's default policy (its "new defaults", without ACLs and private
 * secrets, which this store has not): a member (or admin) of a project
 * lists and creates in it, and reads, decrypts and deletes what it owns;
 * an admin of any project may also read the metadata of and delete any
 * secret or container, but decrypt only its own project's. noauth callers
 * (admins by the auth strategy) may do everything.
 */
export function keyManagerAllows(caller: Caller, action: KeyManagerAction, owner?: KeyManagerOwner): boolean {
  if (caller.isAdmin) return true
  if (!isMember(caller) || caller.projectId === '') return false
  if (action.startsWith('secrets:') || action.startsWith('containers:')) return true
  const ownProject = owner !== undefined && owner.projectId === caller.projectId
  if (action === 'secret:decrypt' || action === 'secret:put') return ownProject
  return ownProject || isAdmin(caller)
}

/** Throws Barbican's 403 (`<operation> attempt not allowed - …`) unless keyManagerAllows. */
export function enforceKeyManager(caller: Caller, action: KeyManagerAction, operation: string, owner?: KeyManagerOwner): void {
  if (!keyManagerAllows(caller, action, owner)) throw notAllowed(operation)
}
