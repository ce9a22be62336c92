/**
 * The agent's TLS material: `[amphora_agent] agent_server_cert` (cert + key)
 * and `agent_server_ca` when configured; otherwise a server certificate
 * issued by the local CA in `<state_dir>/pki/`, naming this host, valid for
 * `[certificates] cert_validity_time`.
 */
import { hostname, networkInterfaces } from 'node:os'
import { isIP } from 'node:net'
import { join, resolve } from 'node:path'
import type { Config } from '../common/config/schema.js'
import type { CertificateInfo } from '../pki/certificate-info.js'
import { LocalCa } from '../pki/local-ca.js'
import { readIfExists } from '../pki/pem-files.js'
import { configuredMaterial, ensureIssuedFile, RENEW_MARGIN_MS, type TlsMaterial } from '../pki/tls-material.js'

/**
 * The agent's material plus what a certificate rotation needs
 * (`PUT /1.0/certificate`, server-certificate.ts): the file the certificate
 * and key are loaded from at start (rewritten by a rotation, so a restart
 * keeps the new one) and the CA certificates a new server certificate must
 * be issued by.
 */
export interface AgentTlsMaterial extends TlsMaterial {
  readonly certPath: string
  /** PEM bundle: the client CA(s), the local CA when it issued the certificate, and `[haproxy_amphora] server_ca` when set. */
  readonly issuers: string
}

type AgentTlsConfig = Pick<Config, 'DEFAULT' | 'amphora_agent' | 'certificates'> & {
  readonly haproxy_amphora: Pick<Config['haproxy_amphora'], 'server_ca'>
}

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

/**
 * Loads or issues the agent's certificate, key and client CA. A certificate
 * of the local CA is renewed at start when less than min(30 days, half of
 * `cert_validity_time`) is left: later renewals are housekeeping's
 * certificate rotation (`cert_expiry_buffer`), and a certificate it just
 * installed must survive a restart.
 */
export async function agentServerTls(config: AgentTlsConfig): Promise<AgentTlsMaterial> {
  const a = config.amphora_agent
  const dir = pkiDir(config.DEFAULT.state_dir)
  // NOTE: server_ca names a file of the controller's host; an agent host without it simply does not add it.
  const serverCa = config.haproxy_amphora.server_ca === '' ? '' : (await readIfExists(config.haproxy_amphora.server_ca)) ?? ''
  if (a.agent_server_cert !== '') {
    const m = await configuredMaterial(a.agent_server_cert, a.agent_server_ca || LocalCa.certPath(dir))
    return Object.freeze({ ...m, certPath: a.agent_server_cert, issuers: [m.ca, serverCa].join('\n') })
  }
  const ca = await LocalCa.open(dir)
  const { dns, ips } = agentCertNames(a.bind_host, a.agent_server_cert_names)
  const covers = (info: CertificateInfo): boolean =>
    dns.every((n) => info.dnsNames.includes(n)) && ips.every((n) => info.ipAddresses.includes(normalize(n)))
  const validityMs = config.certificates.cert_validity_time * 1000
  const certPath = join(dir, 'agent-server.pem')
  const material = await ensureIssuedFile(ca,
    certPath, () => ca.issueServer({ commonName: hostname(), dnsNames: dns, ipAddresses: ips, validityDays: validityMs / 86_400_000 }),
    covers, Math.min(RENEW_MARGIN_MS, validityMs / 2))
  const m = a.agent_server_ca === '' ? material : await configuredMaterial(certPath, a.agent_server_ca)
  return Object.freeze({ ...m, certPath, issuers: [m.ca, ca.certPem, serverCa].join('\n') })
}

function normalize(ip: string): string {
  return ip.includes(':') ? new URL(`http://[${ip}]/`).hostname.slice(1, -1) : ip
}
