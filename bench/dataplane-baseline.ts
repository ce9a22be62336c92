// The baseline of bench/dataplane.ts: a hand-written, minimal HAProxy config
// with the same backends as the load balancer, run by the bench itself in the
// same place as the amphora's HAProxy (inside the amphora's network namespace,
// on the VIP address, another port; or on the host in loopback mode). No
// agent, no master socket, no stats socket, no logging: the floor.
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface BaselineHaproxy {
  readonly pid: number
  /** The whole config, for the record. */
  readonly config: string
  /** Stops it (SIGTERM, SIGKILL after 2 s) and removes its files. */
  stop(): Promise<void>
}

export interface BaselineOptions {
  readonly haproxyCmd: string
  /** The amphora's namespace, or null to run on the host. */
  readonly netns: string | null
  readonly bindHost: string
  readonly bindPort: number
  readonly backends: readonly { host: string; port: number }[]
  /** Extra lines for `defaults` (diagnostics: which of the LB's options costs what). */
  readonly extraDefaults?: readonly string[]
  /** A PEM file (certificate, key, intermediates) to terminate TLS with; plain HTTP without. */
  readonly tlsPemPath?: string
}

/** The hand-written config: HTTP (or HTTPS, HAProxy's TLS defaults) frontend → round-robin backend, keep-alive both sides. */
export function baselineConfig(o: BaselineOptions): string {
  return [
    'global',
    // One thread, as every amphora HAProxy (DESIGN §5): the comparison is of configs, not of thread counts.
    '    nbthread 1',
    '    maxconn 4096',
    '',
    'defaults',
    '    mode http',
    '    timeout connect 5s',
    '    timeout client 50s',
    '    timeout server 50s',
    ...(o.extraDefaults ?? []).map(l => `    ${l}`),
    '',
    'frontend bench',
    `    bind ${o.bindHost}:${o.bindPort}${o.tlsPemPath === undefined ? '' : ` ssl crt ${o.tlsPemPath}`}`,
    '    default_backend members',
    '',
    'backend members',
    '    balance roundrobin',
    ...o.backends.map((b, i) => `    server m${i} ${b.host}:${b.port}`),
    '',
  ].join('\n')
}

/** Starts HAProxy in the foreground (`-db`) on the baseline config; resolves once it runs (or rejects with its output). */
export async function startBaselineHaproxy(o: BaselineOptions): Promise<BaselineHaproxy> {
  const dir = mkdtempSync(join(tmpdir(), 'octavia-bench-haproxy-'))
  const config = baselineConfig(o)
  const file = join(dir, 'haproxy.cfg')
  writeFileSync(file, config)
  const argv = [o.haproxyCmd, '-db', '-f', file]
  const full = o.netns === null ? argv : ['ip', 'netns', 'exec', o.netns, ...argv]
  // Detached (a session of its own), as the agent starts every amphora HAProxy: with the
  // kernel's autogroup scheduling a process's session decides its share of a busy CPU, so
  // the baseline must not share the bench's session (with wrk and the members).
  const child = spawn(full[0], full.slice(1), { detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout.on('data', (c: Buffer) => { output += c.toString() })
  child.stderr.on('data', (c: Buffer) => { output += c.toString() })
  const exited = new Promise<void>(resolve => child.once('exit', () => resolve()))
  await new Promise<void>((resolve, reject) => { child.once('spawn', resolve); child.once('error', reject) })
  // HAProxy -db stays in the foreground; give it a moment to bind (or fail).
  await new Promise(r => setTimeout(r, 300))
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM')
      const t = setTimeout(() => child.kill('SIGKILL'), 2000)
      await exited
      clearTimeout(t)
    }
    rmSync(dir, { recursive: true, force: true })
  }
  if (child.exitCode !== null) {
    await stop()
    throw new Error(`baseline haproxy exited: ${output.slice(0, 2000)}`)
  }
  return { pid: child.pid ?? -1, config, stop }
}
