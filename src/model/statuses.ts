/** A frozen object whose keys are its values (`S.ACTIVE === 'ACTIVE'`), from the list of names. */
const constants = <const K extends string>(...names: readonly K[]): { readonly [N in K]: N } =>
  Object.freeze(Object.fromEntries(names.map(n => [n, n]))) as { readonly [N in K]: N }

/** Provisioning statuses (Octavia constants). */
export const ProvisioningStatus = constants('ACTIVE', 'PENDING_CREATE', 'PENDING_UPDATE', 'PENDING_DELETE', 'DELETED', 'ERROR')
export type ProvisioningStatus = typeof ProvisioningStatus[keyof typeof ProvisioningStatus]

/** Operating statuses (Octavia constants). */
export const OperatingStatus = constants('ONLINE', 'OFFLINE', 'DEGRADED', 'ERROR', 'DRAINING', 'NO_MONITOR')
export type OperatingStatus = typeof OperatingStatus[keyof typeof OperatingStatus]

/** Amphora statuses. */
export const AmphoraStatus = constants(
  'BOOTING', 'ALLOCATED', 'READY', 'PENDING_CREATE', 'PENDING_DELETE', 'DELETED', 'ERROR', 'FAILOVER_STOPPED')

export const isPending = (s: string): boolean => s.startsWith('PENDING_')
