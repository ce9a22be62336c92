/** The compute drivers by their `[controller_worker] compute_driver` name. */
export const COMPUTE_DRIVER_NAMES = ['netns', 'loopback', 'compute_noop_driver'] as const
export type ComputeDriverName = typeof COMPUTE_DRIVER_NAMES[number]

/** `[controller_worker] compute_driver` as configured: a driver name or `auto`. */
export type ComputeDriverOption = ComputeDriverName | 'auto'

/**
 * Which host setup, and which default networks, apply: `netns` (bridges,
 * 10.213.0.0/24) or `loopback` (127.226.0.0/16; also for the noop driver,
 * which plugs nothing).
 */
export type DataPlaneMode = 'netns' | 'loopback'

/** The effective user id of this process, or -1 where there is none (Windows). */
export const currentUid = (): number => process.geteuid?.() ?? -1

/**
 * Resolves `auto`: `netns` when the process runs as root (uid 0), else
 * `loopback`. Explicit names are returned unchanged. Pure given the uid.
 */
export function resolveComputeDriver(option: ComputeDriverOption, uid: number = currentUid()): ComputeDriverName {
  if (option !== 'auto') return option
  return uid === 0 ? 'netns' : 'loopback'
}

/** The data-plane mode of a compute driver. */
export const dataPlaneModeOf = (driver: ComputeDriverName): DataPlaneMode => (driver === 'netns' ? 'netns' : 'loopback')

/**
 * The data-plane mode a configuration asks for (`[controller_worker]
 * compute_driver`, `auto` resolved with this process's uid). The API and the
 * worker must agree on it: when they run as different users, set
 * compute_driver explicitly.
 */
export const dataPlaneModeFor = (worker: { readonly compute_driver: ComputeDriverOption }, uid: number = currentUid()): DataPlaneMode =>
  dataPlaneModeOf(resolveComputeDriver(worker.compute_driver, uid))
