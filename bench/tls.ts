// bench/tls: TLS termination of a real `octavia-ts serve` (built dist, amphora
// provider, real HAProxy, certificate in octavia-ts's own secret store), per
// key type (ECDSA P-256 and RSA-2048), from one run on this machine:
//   (a) POST of a load balancer with a TERMINATED_HTTPS listener → first HTTPS 200 through its VIP
//   (b) new TLS connections per second (one request each, `Connection: close`)
//   (c) keep-alive HTTPS requests per second
// (b) and (c) are divided by the same through a hand-written HAProxy that
// terminates TLS with the same certificate in the same namespace (another
// port), measured in alternating rounds of the same run (target ≥ 0.97).
// See docs/benchmarks.md.
//
//   node --import tsx bench/tls.ts [--seconds 3] [--rounds 4] [--connections 16] [--keys ec,rsa] [--node-client] [--mode netns|loopback]
//
// Root: netns compute driver (a network 10.213.<n>.0/24 on a bridge of its
// own); otherwise loopback. Removes everything at the end.
import { request } from 'node:https'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { createTlsFixtures, type FixtureKeyType, type TlsFixtures } from '../test/support/tls-fixtures.js'
import { startBaselineHaproxy } from './dataplane-baseline.js'
import { loadGenerator, type HttpLoadGenerator, type HttpLoadResult, type LoadOptions } from './dataplane-load.js'
import { active, aggregate, amphoraNetns, boundedInt, deleteLb, LBS, ms, rigMode, sleep, startRig, type Member, type Rig } from './dataplane-rig.js'

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '3' },
    rounds: { type: 'string', default: '4' },
    connections: { type: 'string', default: '16' },
    keys: { type: 'string', default: 'ec,rsa' },
    'node-client': { type: 'boolean', default: false },
    mode: { type: 'string' },
  },
})
const int = boundedInt
const seconds = int(args.seconds, 3, 1, 60)
const rounds = int(args.rounds, 4, 1, 20)
const connections = int(args.connections, 16, 1, 512)
const keyTypes = (args.keys ?? '').split(',').filter((k): k is FixtureKeyType => k === 'ec' || k === 'rsa')
const mode = rigMode(args.mode)
const LB_PORT = mode === 'netns' ? 443 : 10443
const BASE_PORT = LB_PORT + 1
const HOST = 'bench.tls.test'

/** One HTTPS GET to vip:port with SNI `HOST`, verified against the test CA; resolves the status. */
function httpsStatus(vip: string, port: number, ca: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: vip, port, path: '/', servername: HOST, ca, agent: false, timeout: 500 }, res => {
      res.resume()
      res.once('end', () => resolve(res.statusCode ?? 0))
    })
    req.once('timeout', () => req.destroy(new Error('timeout')))
    req.once('error', reject)
    req.end()
  })
}

/** Polls until HTTPS answers 200; returns ms since `t0`. */
async function firstHttps200(vip: string, ca: string, t0: number, limitMs = 30000): Promise<number> {
  while (performance.now() - t0 < limitMs) {
    try {
      if (await httpsStatus(vip, LB_PORT, ca) === 200) return performance.now() - t0
    } catch { /* not yet */ }
    await sleep(5)
  }
  throw new Error(`https://${vip}:${LB_PORT}/ did not answer 200 within ${limitMs} ms`)
}

/** Stores the PKCS12 bundle in the service's secret store (POST /v1/secrets); returns the secret href. */
async function storeSecret(rig: Rig, name: string, p12: Buffer): Promise<string> {
  const r = await rig.api.request('POST', '/v1/secrets', {
    name, payload: p12.toString('base64'), payload_content_type: 'application/octet-stream', payload_content_encoding: 'base64',
  })
  if (r.status !== 201) throw new Error(`POST /v1/secrets: ${r.status} ${JSON.stringify(r.body)}`)
  return r.body.secret_ref as string
}

const lbBody = (rig: Rig, members: readonly Member[], secretRef: string, name: string) => ({
  loadbalancer: {
    name, vip_subnet_id: rig.subnetId,
    listeners: [{
      protocol: 'TERMINATED_HTTPS', protocol_port: LB_PORT, default_tls_container_ref: secretRef,
      default_pool: { name: 'p', protocol: 'HTTP', lb_algorithm: 'ROUND_ROBIN', members: members.map(m => ({ address: m.host, protocol_port: m.port })) },
    }],
  },
})

/** Alternating rounds of the LB and the baseline with one generator and options. */
async function compare(gen: HttpLoadGenerator, lbUrl: string, baseUrl: string, o: LoadOptions) {
  await gen.run(lbUrl, { ...o, seconds: 1 }) // warm-up
  await gen.run(baseUrl, { ...o, seconds: 1 })
  const ours: HttpLoadResult[] = []
  const floor: HttpLoadResult[] = []
  for (let i = 0; i < rounds; i++) {
    // Alternate which goes first, so drift of the shared machine hits both alike.
    if (i % 2 === 0) { ours.push(await gen.run(lbUrl, o)); floor.push(await gen.run(baseUrl, o)) }
    else { floor.push(await gen.run(baseUrl, o)); ours.push(await gen.run(lbUrl, o)) }
  }
  return { ours: aggregate(ours), floor: aggregate(floor), perRound: { ours, floor } }
}

/** Everything for one key type: create → first 200, then both load shapes against the baseline. */
async function measureKey(rig: Rig, tls: TlsFixtures, keyType: FixtureKeyType, members: readonly Member[], gen: HttpLoadGenerator) {
  const cert = await tls.serverCertificate({ cn: HOST, dnsNames: [HOST], keyType })
  const secretRef = await storeSecret(rig, `bench-${keyType}`, await tls.pkcs12(cert))
  const t0 = performance.now()
  const r = await rig.api.request('POST', LBS, lbBody(rig, members, secretRef, `bench-tls-${keyType}`))
  if (r.status !== 201) throw new Error(`POST ${LBS}: ${r.status} ${JSON.stringify(r.body)}`)
  const lb = r.body.loadbalancer
  rig.live.add(lb.id)
  const [first200, toActive] = await Promise.all([
    firstHttps200(lb.vip_address, tls.ca.certPem, t0),
    active(rig.api, `${LBS}/${lb.id}`).then(() => performance.now() - t0),
  ])
  const dir = mkdtempSync(join(tmpdir(), 'octavia-bench-tls-'))
  const pem = join(dir, 'server.pem')
  writeFileSync(pem, cert.certPem + cert.keyPem, { mode: 0o600 })
  const base = await startBaselineHaproxy({
    haproxyCmd: 'haproxy', netns: await amphoraNetns(rig.api, rig.mode, lb.id), bindHost: lb.vip_address, bindPort: BASE_PORT,
    backends: members, tlsPemPath: pem,
  })
  try {
    if (await httpsStatus(lb.vip_address, BASE_PORT, tls.ca.certPem) !== 200) throw new Error('baseline haproxy does not serve')
    const lbUrl = `https://${lb.vip_address}:${LB_PORT}/`
    const baseUrl = `https://${lb.vip_address}:${BASE_PORT}/`
    const handshakes = await compare(gen, lbUrl, baseUrl, { connections, seconds, closeEachConnection: true })
    const keepAlive = await compare(gen, lbUrl, baseUrl, { connections, seconds })
    return { keyType, first200, toActive, handshakes, keepAlive }
  } finally {
    await base.stop()
    rmSync(dir, { recursive: true, force: true })
    await deleteLb(rig.api, lb.id).then(() => rig.live.delete(lb.id), () => undefined)
  }
}

type KeyResult = Awaited<ReturnType<typeof measureKey>>

function report(results: readonly KeyResult[], gen: HttpLoadGenerator, rig: Rig, loadBefore: number[]): string {
  const out: string[] = []
  out.push(`command: node --import tsx bench/tls.ts ${process.argv.slice(2).join(' ')}`.trim())
  out.push(`machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}; load average ${loadBefore.map(x => x.toFixed(2)).join(' ')} before, ${loadavg().map(x => x.toFixed(2)).join(' ')} after`)
  out.push(`mode: ${rig.description}, ${new Date().toISOString()}; ${gen.name}, ${connections} connections, ${rounds} alternating rounds × ${seconds} s`)
  out.push('')
  out.push('| key | load | LB req/s | hand-written req/s | LB ÷ hand-written | LB p50 ms | hand p50 ms | LB p99 ms | hand p99 ms | errors LB/hand |')
  out.push('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|')
  for (const r of results) {
    for (const [label, c] of [['new TLS connection per request', r.handshakes], ['keep-alive', r.keepAlive]] as const) {
      out.push(`| ${r.keyType === 'ec' ? 'ECDSA P-256' : 'RSA-2048'} | ${label} | ${c.ours.perSecond.toFixed(0)} | ${c.floor.perSecond.toFixed(0)} | ` +
        `${(c.ours.perSecond / c.floor.perSecond).toFixed(3)} | ${c.ours.p50.toFixed(2)} | ${c.floor.p50.toFixed(2)} | ${c.ours.p99.toFixed(2)} | ${c.floor.p99.toFixed(2)} | ${c.ours.errors}/${c.floor.errors} |`)
    }
  }
  out.push('    (target: LB ÷ hand-written ≥ 0.97)')
  for (const r of results) {
    out.push(`${r.keyType}: POST → first HTTPS 200 ${ms(r.first200)} (→ ACTIVE ${ms(r.toActive)}); per-round req/s new-connection LB ${r.handshakes.perRound.ours.map(x => x.perSecond.toFixed(0)).join(' ')} / hand ${r.handshakes.perRound.floor.map(x => x.perSecond.toFixed(0)).join(' ')}; keep-alive LB ${r.keepAlive.perRound.ours.map(x => x.perSecond.toFixed(0)).join(' ')} / hand ${r.keepAlive.perRound.floor.map(x => x.perSecond.toFixed(0)).join(' ')}`)
  }
  return out.join('\n') + '\n'
}

async function main(): Promise<void> {
  const loadBefore = loadavg()
  let rig: Rig | null = null
  let tls: TlsFixtures | null = null
  try {
    rig = await startRig(mode)
    tls = await createTlsFixtures()
    const members = [await rig.startMember('m1'), await rig.startMember('m2')]
    const gen = loadGenerator(args['node-client'])
    const results: KeyResult[] = []
    for (const keyType of keyTypes) results.push(await measureKey(rig, tls, keyType, members, gen))
    process.stdout.write(report(results, gen, rig, loadBefore))
  } finally {
    await rig?.dispose()
    await tls?.cleanup()
  }
}

await main()
