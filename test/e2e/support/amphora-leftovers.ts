import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { AmphoraStack } from './amphora-stack.js'

/** What of an amphora exists on the host right now. */
export interface HostTraces {
  /** Its namespace `amp-<id>` exists. */
  readonly namespace: boolean
  /** Pids of processes whose command line names the amphora's directory (its HAProxy master and workers). */
  readonly processes: readonly number[]
  /** Those of them whose parent is not among them (HAProxy masters). */
  readonly masters: readonly number[]
  /** Host links carrying our alias for this amphora (veth ends). */
  readonly links: readonly string[]
  /** Host interfaces holding the VIP (other than loopback's implicit 127/8). */
  readonly vipHolders: readonly string[]
  /** Files below the agent's directory of the amphora, and its sockets. */
  readonly files: readonly string[]
  /** The loopback compute driver's slot marker exists. */
  readonly loopbackSlot: boolean
  /** Port rows still recorded for the amphora or the VIP. */
  readonly ports: readonly string[]
}

const run = (cmd: string, args: string[]): string => {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
  } catch {
    return ''
  }
}

function processesMentioning(text: string): number[] {
  const out: number[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8')
      if (cmdline.includes(text)) out.push(Number(entry))
    } catch { /* gone */ }
  }
  return out
}

function parentOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
  } catch {
    return -1
  }
}

function filesBelow(dir: string): string[] {
  if (!existsSync(dir)) return []
  const out: string[] = [dir]
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name)
    if (e.isDirectory()) out.push(...filesBelow(p))
    else out.push(p)
  }
  return out
}

/** Everything of amphora `amphoraId` (serving `vip`) the host holds. */
export async function hostTraces(stack: AmphoraStack, amphoraId: string, vip: string): Promise<HostTraces> {
  const namespace = stack.mode === 'netns' && run('ip', ['netns', 'list']).split('\n').some(l => l.split(' ')[0] === `amp-${amphoraId}`)
  const ampDir = join(stack.agentBase, amphoraId)
  const links = (JSON.parse(run('ip', ['-j', 'link', 'show']) || '[]') as { ifname: string; ifalias?: string }[])
    .filter(l => l.ifalias?.includes(`amphora=${amphoraId}`)).map(l => l.ifname)
  const vipHolders = (JSON.parse(run('ip', ['-j', 'addr', 'show']) || '[]') as { ifname: string; addr_info?: { local: string }[] }[])
    .filter(l => l.ifname !== 'lo' && (l.addr_info ?? []).some(a => a.local === vip)).map(l => l.ifname)
  const runDir = join(stack.agentBase, 'run')
  const sockets = existsSync(runDir) ? readdirSync(runDir).map(f => join(runDir, f)) : []
  const ports = await stack.database.db.selectFrom('port').select(['id', 'ip_address', 'device_id'])
    .where(eb => eb.or([eb('device_id', '=', amphoraId), eb('ip_address', '=', vip)])).execute()
  const processes = processesMentioning(ampDir)
  return {
    namespace,
    processes,
    masters: processes.filter(pid => !processes.includes(parentOf(pid))),
    links,
    vipHolders,
    files: [...filesBelow(ampDir), ...sockets],
    loopbackSlot: existsSync(join(stack.stateDir, 'compute', 'loopback', amphoraId)),
    ports: ports.map(p => `${p.id} ${p.ip_address} ${p.device_id}`),
  }
}

/**
 * Asserts that nothing of the amphora is left: no namespace, process, link,
 * address, file, slot or port (`vipPort`: the VIP's port may stay, its load
 * balancer still exists).
 */
export async function assertNothingLeft(stack: AmphoraStack, amphoraId: string, vip: string, opts: { vipPort?: boolean } = {}): Promise<void> {
  const t = await hostTraces(stack, amphoraId, vip)
  assert.equal(t.namespace, false, 'namespace left')
  assert.deepEqual(t.processes, [], 'processes left')
  assert.deepEqual(t.links, [], 'links left')
  assert.deepEqual(t.vipHolders, [], 'VIP still on a host interface')
  assert.deepEqual(t.files, [], 'files left')
  assert.equal(t.loopbackSlot, false, 'loopback slot left')
  const ports = opts.vipPort ? t.ports.filter(p => p.endsWith(` ${amphoraId}`)) : t.ports
  assert.deepEqual(ports, [], 'ports left')
}
