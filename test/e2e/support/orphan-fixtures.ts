import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { silentLogger } from '../../../src/common/logging.js'
import { IpCommand } from '../../../src/common/linux/ip-command.js'
import { NetnsComputeDriver } from '../../../src/drivers/compute/netns/netns-compute-driver.js'
import type { Backend } from './amphora-backends.js'
import type { HttpClient } from './http-client.js'
import { freePort, startService, type ServiceProcess } from './service-process.js'

/** An amphora load balancer the test made: its amphora and VIP. */
export interface MadeLoadBalancer {
  readonly id: string
  readonly amphoraId: string
  readonly vip: string
}

/** The HTTP port of every listener of these tests. */
export const LISTENER_PORT = 10088

/** Where the amphorae of a test run. */
export type OrphanMode = 'netns' | 'loopback'

/**
 * `octavia-ts serve` (built bundle) with the amphora provider in `mode` on
 * network `e2e<n>` (netns: 10.213.<n>.0/24, bridge `octo<n>`; loopback:
 * 127.213.<n>.0/24), its agent on a free port, `house_keeping` options added.
 */
export async function startAmphoraService(n: number, mode: OrphanMode, houseKeeping: Record<string, string> = {}): Promise<ServiceProcess> {
  const agentPort = String(await freePort())
  return startService({
    sections: {
      api_settings: {
        enabled_provider_drivers: 'amphora:The Octavia Amphora driver.,noop_driver:The no-op driver.',
        default_provider_driver: 'amphora',
      },
      controller_worker: { compute_driver: mode, job_poll_interval_ms: '100' },
      amphora_agent: { bind_port: agentPort },
      haproxy_amphora: { bind_port: agentPort },
      house_keeping: houseKeeping,
      [`network:e2e${n}`]: mode === 'netns'
        ? { network: `e2e${n}`, cidr: `10.213.${n}.0/24`, bridge: `octo${n}` }
        : { network: `e2e${n}`, cidr: `127.213.${n}.0/24` },
    },
  })
}

/** Creates a load balancer with an HTTP listener whose pool holds `backend`, waits for ACTIVE. */
export async function createHttpLoadBalancer(api: HttpClient, n: number, name: string, backend: Backend): Promise<MadeLoadBalancer> {
  const subnetId = (await api.request('GET', `/v2.0/subnets?name=e2e${n}-subnet`)).body.subnets[0].id
  const r = await api.request('POST', '/v2/lbaas/loadbalancers', {
    loadbalancer: {
      name, vip_subnet_id: subnetId,
      listeners: [{
        protocol: 'HTTP', protocol_port: LISTENER_PORT,
        default_pool: { name: 'pool', protocol: 'HTTP', lb_algorithm: 'ROUND_ROBIN', members: [{ address: backend.host, protocol_port: backend.port }] },
      }],
    },
  })
  assert.equal(r.status, 201, JSON.stringify(r.body))
  const id: string = r.body.loadbalancer.id
  await api.waitStatus(`/v2/lbaas/loadbalancers/${id}`, 'ACTIVE', 30000)
  const amps = (await api.request('GET', `/v2/octavia/amphorae?loadbalancer_id=${id}`)).body.amphorae
  assert.equal(amps.length, 1)
  return { id, amphoraId: amps[0].id, vip: r.body.loadbalancer.vip_address }
}

/** What of an amphora runs on the host: its namespace, and the processes started with its directory under `base`. */
export function hostTraces(base: string, amphoraId: string): { namespace: boolean; pids: number[] } {
  const namespace = existsSync('/run/netns') && readdirSync('/run/netns').includes(`amp-${amphoraId}`)
  const pids: number[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(`${join(base, amphoraId)}/`)) pids.push(Number(entry))
    } catch { /* gone */ }
  }
  return { namespace, pids }
}

/** Polls until `done()` or `ms` passed; resolves with the milliseconds it took, or null on timeout. */
export async function msUntil(done: () => boolean, ms: number, since = Date.now()): Promise<number | null> {
  for (;;) {
    if (done()) return Date.now() - since
    if (Date.now() - since > ms) return null
    await new Promise((r) => setTimeout(r, 25))
  }
}

/**
 * Removes the amphorae `ids` the test made, whatever the service did: their
 * namespaces with everything running inside and their veths (the netns
 * compute driver's delete, which touches only `amp-<id>` and links whose
 * alias names that amphora), then any process still started from their
 * directories under `base`.
 */
export async function removeAmphoraeByHand(base: string, ids: readonly string[]): Promise<void> {
  const driver = new NetnsComputeDriver({ ip: new IpCommand(silentLogger()), log: silentLogger(), owner: 'test-clean-up' })
  for (const id of ids) {
    await driver.delete(`amp-${id}`, new AbortController().signal).catch(() => undefined)
    for (const pid of hostTraces(base, id).pids) {
      try { process.kill(pid, 'SIGKILL') } catch { /* gone */ }
    }
  }
}

/** The JSON log lines of a service whose `msg` is `msg`, from character `offset` of its log on (a restart appends to it). */
export function logLines(svc: ServiceProcess, msg: string, offset = 0): Record<string, unknown>[] {
  return svc.logs().slice(offset).split('\n').filter((l) => l.includes(msg)).map((l) => JSON.parse(l) as Record<string, unknown>)
    .filter((l) => l.msg === msg)
}

/** `ip netns list` holds none of these amphorae's namespaces (checked with the real command). */
export function namespacesLeft(ids: readonly string[]): string[] {
  const list = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' }).split('\n').map((l) => l.split(' ')[0])
  return ids.map((id) => `amp-${id}`).filter((ns) => list.includes(ns))
}
