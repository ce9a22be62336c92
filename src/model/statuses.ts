/** Provisioning statuses (Octavia constants). */
export const ProvisioningStatus = {
  ACTIVE: 'ACTIVE',
  PENDING_CREATE: 'PENDING_CREATE',
  PENDING_UPDATE: 'PENDING_UPDATE',
  PENDING_DELETE: 'PENDING_DELETE',
  DELETED: 'DELETED',
  ERROR: 'ERROR',
} as const
export type ProvisioningStatus = typeof ProvisioningStatus[keyof typeof ProvisioningStatus]

/** Operating statuses (Octavia constants). */
export const OperatingStatus = {
  ONLINE: 'ONLINE',
  OFFLINE: 'OFFLINE',
  DEGRADED: 'DEGRADED',
  ERROR: 'ERROR',
  DRAINING: 'DRAINING',
  NO_MONITOR: 'NO_MONITOR',
} as const
export type OperatingStatus = typeof OperatingStatus[keyof typeof OperatingStatus]

/** Amphora statuses. */
export const AmphoraStatus = {
  BOOTING: 'BOOTING',
  ALLOCATED: 'ALLOCATED',
  READY: 'READY',
  PENDING_CREATE: 'PENDING_CREATE',
  PENDING_DELETE: 'PENDING_DELETE',
  DELETED: 'DELETED',
  ERROR: 'ERROR',
  FAILOVER_STOPPED: 'FAILOVER_STOPPED',
} as const

export const isPending = (s: string): boolean => s.startsWith('PENDING_')
