/**
 * The agent's TLS material: `[amphora_agent] agent_server_cert` (cert + key)
 * and `agent_server_ca` when configured; otherwise a server certificate
 * issued by the local CA in `<state_dir>/pki/`, naming this host.
 */
import { hostname, networkInterfaces } from 'node:os'
import { isIP } from 'node:net'
import { join, resolve } from 'node:path'
import type { Config } from '../common/config/schema.js'
import type { CertificateInfo } from '../pki/certificate-info.js'
import { LocalCa } from '../pki/local-ca.js'
import { configuredMaterial, ensureIssuedFile, type TlsMaterial } from '../pki/tls-material.js'

/** `<state_dir>/pki` */
export const pkiDir = (stateDir: string): string => join(resolve(stateDir), 'pki')

/** The names the agent's certificate must carry: this host, loopback, the bind address, the extra names. */
export function agentCertNames(bindHost: string, extra: readonly string[]): { dns: string[]; ips: string[] } {
  const names = new Set<string>([hostname(), 'localhost', '127.0.0.1', '::1', ...extra])
  if (bindHost === '0.0.0.0' || bindHost === '::' || bindHost === '') {
    for (const list of Object.values(networkInterfaces())) {
      for (const a of list ?? []) if (!a.address.startsWith('fe80')) names.add(a.address)
    }
  } else {
    names.add(bindHost)
  }
  const all = [...names].filter((n) => n !== '')
  return { dns: all.filter((n) => isIP(n) === 0), ips: all.filter((n) => isIP(n) !== 0) }
}

/** Loads or issues the agent's certificate, key and client CA. */
export async function agentServerTls(config: Pick<Config, 'DEFAULT' | 'amphora_agent'>): Promise<TlsMaterial> {
  const a = config.amphora_agent
  const dir = pkiDir(config.DEFAULT.state_dir)
  if (a.agent_server_cert !== '') return configuredMaterial(a.agent_server_cert, a.agent_server_ca || LocalCa.certPath(dir))
  const ca = await LocalCa.open(dir)
  const { dns, ips } = agentCertNames(a.bind_host, a.agent_server_cert_names)
  const covers = (info: CertificateInfo): boolean =>
    dns.every((n) => info.dnsNames.includes(n)) && ips.every((n) => info.ipAddresses.includes(normalize(n)))
  const material = await ensureIssuedFile(ca, join(dir, 'agent-server.pem'),
    () => ca.issueServer({ commonName: hostname(), dnsNames: dns, ipAddresses: ips }), covers)
  if (a.agent_server_ca === '') return material
  return configuredMaterial(join(dir, 'agent-server.pem'), a.agent_server_ca)
}

function normalize(ip: string): string {
  return ip.includes(':') ? new URL(`http://[${ip}]/`).hostname.slice(1, -1) : ip
}
