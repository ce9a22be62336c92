/**
 * Whether a named network namespace still exists: `ip netns` keeps one bind
 * mount per name in /run/netns. `ip netns delete` removes it even while
 * processes still run inside; they keep serving in a namespace that can no
 * longer be entered by name, so the agent can no longer manage them.
 */
import { access } from 'node:fs/promises'
import { join } from 'node:path'

/** Where `ip netns` keeps its named namespaces. */
export const NETNS_RUN_DIR = '/run/netns'

/** True when `/run/netns/<name>` exists. */
export async function netnsPresent(name: string): Promise<boolean> {
  return access(join(NETNS_RUN_DIR, name)).then(() => true, () => false)
}
