/** Amphora roles (Octavia constants). */
export const AmphoraRole = { MASTER: 'MASTER', BACKUP: 'BACKUP', STANDALONE: 'STANDALONE' } as const
export type AmphoraRole = typeof AmphoraRole[keyof typeof AmphoraRole]

/** Octavia's VRRP priorities: MASTER 100, BACKUP 90; STANDALONE has none. */
const PRIORITY: Readonly<Record<AmphoraRole, number | null>> = { MASTER: 100, BACKUP: 90, STANDALONE: null }

/** The VRRP priority of a role (null for STANDALONE). */
export const vrrpPriorityOf = (role: AmphoraRole): number | null => PRIORITY[role]

/** The VRRP id Octavia records for every amphora (1: one VRRP group per pair of amphorae; STANDALONE ones get it too). */
export const VRRP_ID = 1

/** The roles a topology's amphorae take: SINGLE one STANDALONE, ACTIVE_STANDBY a MASTER and a BACKUP. */
export const rolesOf = (topology: string | null): readonly AmphoraRole[] =>
  (topology === 'ACTIVE_STANDBY' ? [AmphoraRole.MASTER, AmphoraRole.BACKUP] : [AmphoraRole.STANDALONE])

/** The role of an existing amphora row as one of ours (unknown or null roles count as STANDALONE). */
export const roleOf = (role: string | null): AmphoraRole =>
  (role === AmphoraRole.MASTER || role === AmphoraRole.BACKUP ? role : AmphoraRole.STANDALONE)
