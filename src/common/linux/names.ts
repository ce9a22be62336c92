import { createHash } from 'node:crypto'

/*
 * Names of the host objects octavia-ts creates in netns mode. Everything is
 * derived from ids, so a retried or resumed flow finds what an earlier attempt
 * created. Links carry an alias (`ip link set … alias`) that marks them as ours
 * and says whom they belong to; clean-ups only ever touch links with our alias.
 */

/** Prefix of amphora namespaces (`ip netns list`). */
export const NAMESPACE_PREFIX = 'amp-'
/** Prefix of the host end of an amphora's veth pair. */
export const HOST_VETH_PREFIX = 'ov'
/** Prefix of the alias of every link we create. */
export const ALIAS_PREFIX = 'octavia-ts:'

const SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9_-]*$/

const hex = (text: string, length: number): string => createHash('sha1').update(text).digest('hex').slice(0, length)

/** The namespace of an amphora: `amp-<amphora id>`. Throws for ids that could not be a file name. */
export function namespaceName(amphoraId: string): string {
  if (!SAFE_ID.test(amphoraId) || amphoraId.length > 200) throw new Error(`amphora id '${amphoraId}' cannot name a namespace`)
  return `${NAMESPACE_PREFIX}${amphoraId}`
}

/** The amphora id of one of our namespaces, or null for any other name. */
export function amphoraOfNamespace(name: string): string | null {
  return name.startsWith(NAMESPACE_PREFIX) && SAFE_ID.test(name.slice(NAMESPACE_PREFIX.length))
    ? name.slice(NAMESPACE_PREFIX.length) : null
}

/** Host end of the veth pair plugging `amphoraId` into `networkId`: `ov` + 10 hex digits. */
export const hostVethName = (amphoraId: string, networkId: string): string =>
  `${HOST_VETH_PREFIX}${hex(`${amphoraId}/${networkId}`, 10)}`

/** Amphora end of that pair, inside the amphora's namespace: `eth-` + 8 hex digits of the network id. */
export const amphoraInterfaceName = (networkId: string): string => `eth-${hex(networkId, 8)}`

/** Alias of a veth host end: whose amphora, which network. */
export const vethAlias = (amphoraId: string, networkId: string): string =>
  `${ALIAS_PREFIX}amphora=${amphoraId}:network=${networkId}`

/** Alias of a bridge we created for a declared network. */
export const bridgeAlias = (networkId: string): string => `${ALIAS_PREFIX}network=${networkId}`

/**
 * The owner mark of one deployment on this host: 16 hex digits of the
 * SHA-256 of its agent's base directory (an absolute path). Two deployments
 * on one host never share a base directory (their agents would manage each
 * other's HAProxies), and a deployment whose state was wiped and that starts
 * again on the same paths gets the same mark: which is what lets it
 * recognise the amphorae it left behind (orphan sweep, house keeping).
 */
export const ownerKey = (agentBaseDir: string): string => createHash('sha256').update(agentBaseDir).digest('hex').slice(0, 16)

/**
 * Alias of the `lo` of an amphora namespace: whose amphora, which
 * deployment. Set when the namespace is built; the namespace's name alone
 * (`amp-<id>`) proves nothing, other stacks on a host use such names too.
 */
export const namespaceAlias = (amphoraId: string, owner: string): string => `${ALIAS_PREFIX}amphora=${amphoraId}:owner=${owner}`

/** What one of our aliases says. */
export interface ParsedAlias {
  readonly amphoraId?: string
  readonly networkId?: string
  readonly owner?: string
}

/** Parses one of our aliases; null for links that are not ours. */
export function parseAlias(alias: string | undefined | null): ParsedAlias | null {
  if (!alias?.startsWith(ALIAS_PREFIX)) return null
  const out: { amphoraId?: string; networkId?: string; owner?: string } = {}
  for (const part of alias.slice(ALIAS_PREFIX.length).split(':')) {
    const [k, v] = part.split('=', 2)
    if (k === 'amphora') out.amphoraId = v
    else if (k === 'network') out.networkId = v
    else if (k === 'owner') out.owner = v
  }
  return out
}
