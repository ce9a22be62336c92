/**
 * Where the local secret store's Barbican-compatible API is served on the
 * API port: `/v1` (the CLI's `--os-endpoint http://host:9876/v1` in noauth
 * mode) and `/key-manager/v1`, whose `/key-manager` root answers Barbican's
 * version document (a Keystone catalog's `key-manager` endpoint).
 */
export const KEY_MANAGER_PATH_PREFIX = '/key-manager'

/** The path prefixes the v1 API is mounted under (each followed by `/v1`). */
export const KEY_MANAGER_MOUNTS: readonly string[] = ['', KEY_MANAGER_PATH_PREFIX]

const KEY_MANAGER_PATH = /^(?:\/v1|\/key-manager)(?:[/?]|$)/

/** Whether a (rewritten) request URL belongs to the key manager API, which answers other media types than JSON. */
export function isKeyManagerPath(url: string): boolean {
  return KEY_MANAGER_PATH.test(url)
}
