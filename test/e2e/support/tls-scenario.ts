/**
 * The TLS issue's CLI scenario, shared by its noauth and Keystone variants:
 * a PKCS12 bundle stored with `openstack secret store` (python3-barbicanclient),
 * a load balancer whose TERMINATED_HTTPS listener uses the secret's href,
 * then a real curl over HTTPS through the VIP, verified against the test CA.
 */
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import type { OpenstackCli } from './openstack-cli.js'

export interface CurlResult { readonly code: number; readonly stdout: string; readonly stderr: string }

/** Runs curl; resolves with its exit code and output (never rejects). */
export const curl = (args: readonly string[]): Promise<CurlResult> => new Promise(resolve => {
  execFile('curl', [...args], { timeout: 15000 }, (err, stdout, stderr) => {
    resolve({ code: err ? (typeof (err as any).code === 'number' ? (err as any).code : -1) : 0, stdout, stderr })
  })
})

/** `openstack secret store` of a PKCS12 bundle as Octavia's cookbook does it; returns the secret href. */
export async function storePkcs12WithCli(cli: OpenstackCli, name: string, p12: Buffer): Promise<string> {
  const out = await cli.ok(['secret', 'store', '--name', name, '-t', 'application/octet-stream', '-e', 'base64',
    '--payload', p12.toString('base64'), '-f', 'value', '-c', 'Secret href'])
  return out.trim()
}

export interface TlsLoadBalancerSpec {
  readonly name: string
  readonly secretHref: string
  readonly port: number
  /** Extra `loadbalancer create` arguments (e.g. a `--vip-address`). */
  readonly vipArgs: readonly string[]
  readonly member: { readonly host: string; readonly port: number }
  /** Resolves once the load balancer is ACTIVE again (with a token or not). */
  waitActive(lbId: string): Promise<void>
}

/** LB, TERMINATED_HTTPS listener with the secret, HTTP pool and one member, each step waited for. */
export async function createTlsLoadBalancer(cli: OpenstackCli, s: TlsLoadBalancerSpec): Promise<{ id: string; vip: string }> {
  const lb = await cli.json(['loadbalancer', 'create', '--name', s.name, '--vip-subnet-id', 'public-subnet', ...s.vipArgs])
  await s.waitActive(lb.id)
  const listener = await cli.json(['loadbalancer', 'listener', 'create', '--name', `${s.name}-https`, '--protocol', 'TERMINATED_HTTPS',
    '--protocol-port', String(s.port), '--default-tls-container-ref', s.secretHref, s.name])
  assert.equal(listener.default_tls_container_ref, s.secretHref)
  await s.waitActive(lb.id)
  await cli.json(['loadbalancer', 'pool', 'create', '--name', `${s.name}-pool`, '--lb-algorithm', 'ROUND_ROBIN',
    '--listener', `${s.name}-https`, '--protocol', 'HTTP'])
  await s.waitActive(lb.id)
  await cli.json(['loadbalancer', 'member', 'create', '--address', s.member.host, '--protocol-port', String(s.member.port),
    '--subnet-id', 'public-subnet', `${s.name}-pool`])
  await s.waitActive(lb.id)
  return { id: lb.id, vip: lb.vip_address }
}

/**
 * curl `https://<host>:<port>/` resolved to the VIP and verified with `caPath`,
 * retried for up to 10 s until it answers 200 with a verified certificate;
 * returns the last result (`<body>\n<status> <ssl_verify_result>`).
 */
export async function curlHttpsUntilOk(vip: string, port: number, host: string, caPath: string): Promise<CurlResult> {
  const args = ['-sS', '--max-time', '3', '--cacert', caPath, '--resolve', `${host}:${port}:${vip}`,
    '-o', '-', '-w', '\n%{http_code} %{ssl_verify_result}', `https://${host}:${port}/`]
  let last: CurlResult = { code: -1, stdout: '', stderr: '' }
  for (let i = 0; i < 50; i++) {
    last = await curl(args)
    if (last.code === 0 && last.stdout.endsWith('\n200 0')) break
    await new Promise(r => setTimeout(r, 200))
  }
  return last
}
