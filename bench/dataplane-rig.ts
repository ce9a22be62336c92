// What bench/dataplane.ts and bench/tls.ts share: a real `octavia-ts serve`
// (built dist, amphora provider) on a network of its own (10.213.<n>.0/24 on
// a bridge of its own as root, 127.213.<n>.0/24 otherwise), members in child
// processes, status polling, and the cleanup of all of it.
import { spawn, type ChildProcess } from 'node:child_process'
import { createInterface } from 'node:readline'
import { loadConfig } from '../src/common/config/load.js'
import { silentLogger } from '../src/common/logging.js'
import { BridgeDataPlane } from '../src/drivers/network/bridge/bridge-data-plane.js'
import { createDataPlane } from '../src/drivers/network/create-data-plane.js'
import { reserveNetworkNumber } from '../test/e2e/support/amphora-stack.js'
import { httpClient, type HttpClient } from '../test/e2e/support/http-client.js'
import { freePort, REPO_ROOT, startService, type ServiceProcess } from '../test/e2e/support/service-process.js'
import type { HttpLoadResult } from './dataplane-load.js'

export type RigMode = 'netns' | 'loopback'
export const LBS = '/v2/lbaas/loadbalancers'
export const sleep = (ms: number) => new Promise(r => setTimeout(r, ms))
export const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1] ?? NaN
export const p90 = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.9)] ?? NaN
export const ms = (n: number) => `${n.toFixed(1)} ms`
/** A command-line number rounded and clamped to [min, max]; `dflt` when it is not a number. */
export const boundedInt = (v: string | undefined, dflt: number, min: number, max: number): number => {
  const n = Math.round(Number(v))
  return Number.isFinite(n) ? Math.max(min, Math.min(max, n)) : dflt
}

/** The mode of `--mode`, else netns as root and loopback otherwise. */
export function rigMode(arg: string | undefined): RigMode {
  if (arg === 'netns' || arg === 'loopback') return arg
  return process.geteuid?.() === 0 ? 'netns' : 'loopback'
}

export interface Member { readonly host: string; readonly port: number; readonly child: ChildProcess }

/** A member in a child process (bench/dataplane-backend.ts). */
export async function startMember(name: string, host: string): Promise<Member> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/dataplane-backend.ts', name, host], { cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'inherit'] })
  const line = await new Promise<string>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('member did not start in 20 s')), 20000)
    createInterface({ input: child.stdout! }).once('line', l => { clearTimeout(t); resolve(l) })
    child.once('exit', code => reject(new Error(`member exited (${code})`)))
  })
  return { host, port: (JSON.parse(line) as { port: number }).port, child }
}

export async function stopMember(m: Member): Promise<void> {
  if (m.child.exitCode !== null || m.child.signalCode !== null) return
  const gone = new Promise(r => m.child.once('exit', r))
  m.child.kill('SIGTERM')
  const t = setTimeout(() => m.child.kill('SIGKILL'), 3000)
  await gone
  clearTimeout(t)
}

/** Polls GET `path` every 2 ms until its provisioning_status is ACTIVE (throws on ERROR, after 30 s). */
export async function active(api: HttpClient, path: string): Promise<void> {
  for (let i = 0; i < 15000; i++) {
    const s = (Object.values((await api.request('GET', path)).body ?? {})[0] as any)?.provisioning_status
    if (s === 'ACTIVE') return
    if (s === 'ERROR') throw new Error(`${path} went ERROR`)
    await sleep(2)
  }
  throw new Error(`${path} never became ACTIVE`)
}

export async function deleteLb(api: HttpClient, id: string): Promise<void> {
  await api.request('DELETE', `${LBS}/${id}?cascade=true`)
  await api.waitUntil(`${LBS}/${id}`, r => r.status === 404, 60000, 20)
}

/** The network namespace of the load balancer's amphora (netns mode), else null. */
export async function amphoraNetns(api: HttpClient, mode: RigMode, lbId: string): Promise<string | null> {
  if (mode !== 'netns') return null
  const amps = await api.request('GET', `/v2/octavia/amphorae?loadbalancer_id=${lbId}`)
  const netns = amps.body.amphorae[0]?.compute_id as string | undefined
  if (!netns) throw new Error(`no amphora namespace for ${lbId}: ${JSON.stringify(amps.body)}`)
  return netns
}

const sum = (rs: HttpLoadResult[], f: (r: HttpLoadResult) => number) => rs.reduce((a, r) => a + f(r), 0)

/** Rounds of one target combined: time-weighted rate, median latencies, totals. */
export const aggregate = (rs: HttpLoadResult[]) => ({
  perSecond: sum(rs, r => r.perSecond * r.seconds) / sum(rs, r => r.seconds),
  p50: median(rs.map(r => r.p50Ms)), p99: median(rs.map(r => r.p99Ms)),
  requests: sum(rs, r => r.requests), errors: sum(rs, r => r.errors),
})

/** A running rig: the service, its API, the subnet of its network, where members live, and the cleanup. */
export interface Rig {
  readonly mode: RigMode
  readonly api: HttpClient
  readonly subnetId: string
  readonly memberHost: string
  /** `mode (own network …)`, for the report. */
  readonly description: string
  /** Load balancers to delete at the end. */
  readonly live: Set<string>
  startMember(name: string): Promise<Member>
  /** Deletes the live load balancers, stops members and the service, removes the bridge. Never throws. */
  dispose(): Promise<void>
}

/** Starts `octavia-ts serve` with the amphora provider on a network of its own. */
export async function startRig(mode: RigMode): Promise<Rig> {
  const reservation = reserveNetworkNumber()
  const n = reservation.n
  const net = `bench${n}`
  const members: Member[] = []
  const live = new Set<string>()
  let svc: ServiceProcess | null = null
  const dispose = async (): Promise<void> => {
    const api = svc ? httpClient(svc.url) : null
    for (const id of live) if (api) await deleteLb(api, id).catch(err => process.stderr.write(`cleanup of ${id}: ${String(err)}\n`))
    for (const m of members) await stopMember(m)
    const config = svc ? loadConfig(svc.configFile, {}) : null
    await svc?.dispose()
    if (config && mode === 'netns') {
      const plane = createDataPlane(config, { log: silentLogger() }).network
      if (plane instanceof BridgeDataPlane) await plane.removeUnusedBridges().catch(() => undefined)
    }
    reservation.release()
  }
  try {
    const agentPort = String(await freePort())
    svc = await startService({
      sections: {
        api_settings: {
          enabled_provider_drivers: 'amphora:The Octavia Amphora driver.,octavia:Deprecated alias of the Octavia Amphora driver.,noop_driver:The no-op driver.',
          default_provider_driver: 'amphora',
        },
        controller_worker: { compute_driver: mode },
        amphora_agent: { bind_port: agentPort },
        haproxy_amphora: { bind_port: agentPort },
        [`network:${net}`]: mode === 'netns' ? { network: net, cidr: `10.213.${n}.0/24`, bridge: `octb${n}` } : { network: net, cidr: `127.213.${n}.0/24` },
      },
    })
    const api = httpClient(svc.url)
    const subnetId = (await api.request('GET', `/v2.0/subnets?name=${net}-subnet`)).body.subnets[0].id as string
    // Members on the host side of the bridge (netns) or on loopback; the bridge exists once the service prepared the host.
    const memberHost = mode === 'netns' ? `10.213.${n}.1` : '127.0.0.1'
    const description = `${mode} (own network ${mode === 'netns' ? `10.213.${n}.0/24 on bridge octb${n}` : `127.213.${n}.0/24`})`
    return {
      mode, api, subnetId, memberHost, description, live, dispose,
      startMember: async (name) => { const m = await startMember(name, memberHost); members.push(m); return m },
    }
  } catch (err) {
    await dispose()
    throw err
  }
}
