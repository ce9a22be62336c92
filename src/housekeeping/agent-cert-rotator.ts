import { join, resolve } from 'node:path'
import type { Config } from '../common/config/schema.js'
import type { AgentEndpoint } from '../drivers/amphora/amphora-driver.js'
import { AgentClient, agentClientOptions } from '../drivers/amphora/rest/agent-client.js'
import { controllerClientTls } from '../drivers/amphora/rest/client-tls.js'
import { readAgentCertificate } from '../drivers/amphora/agent-certificate.js'
import type { CertificateInfo } from '../pki/certificate-info.js'
import { LocalCa } from '../pki/local-ca.js'
import type { TlsMaterial } from '../pki/tls-material.js'

/** The configuration the rotator reads. */
export type AgentCertRotatorConfig = Pick<Config, 'DEFAULT' | 'certificates' | 'haproxy_amphora'>

/**
 * Replaces the server certificate of one agent (Octavia's cert-rotate flow:
 * generate a server PEM, upload it to the amphora; one agent serves every
 * amphora of its host, so once per agent):
 *
 * 1. reads the certificate the agent presents now over mutual TLS, verified
 *    as every call of the controller (our CA, names the host, valid now);
 * 2. refuses (throws) when the local CA did not issue it: a certificate the
 *    operator configured (`[amphora_agent] agent_server_cert` from another
 *    CA) is not replaced behind their back;
 * 3. has the local CA issue a new one with the same common name, DNS names
 *    and IP addresses (the agent knows its names — `agent_server_cert_names`,
 *    its interfaces — the controller does not; the names the agent presents
 *    are exactly those its clients already rely on), valid for
 *    `[certificates] cert_validity_time`;
 * 4. installs it with `PUT /1.0/certificate` and checks that the agent now
 *    holds that very certificate.
 *
 * An agent whose certificate has already expired cannot be rotated this way
 * (the handshake fails, and sending a new key to an unverified peer would
 * give it away): its next start renews it (agent-tls.ts).
 *
 * TLS material, client and CA are loaded on first use and kept.
 */
export class AgentCertRotator {
  readonly #config: AgentCertRotatorConfig
  #tls: Promise<TlsMaterial> | null = null
  #client: Promise<AgentClient> | null = null
  #ca: Promise<LocalCa> | null = null

  constructor(config: AgentCertRotatorConfig) {
    this.#config = config
  }

  /** Rotates the certificate of the agent at `ep`; resolves with the new certificate. Throws on any failure (nothing recorded). */
  async rotate(ep: AgentEndpoint, signal: AbortSignal): Promise<CertificateInfo> {
    const h = this.#config.haproxy_amphora
    const current = await readAgentCertificate(ep, h.bind_port, await this.#material(), signal,
      Math.round(h.rest_request_conn_timeout * 1000))
    const ca = await this.#localCa()
    if (!ca.issued(current.pem)) {
      throw new Error(`the certificate of agent ${ep.host} was not issued by the local CA; rotate it by hand`)
    }
    const fresh = await ca.issueServer({
      commonName: commonNameOf(current.info.subject) ?? ep.host,
      dnsNames: current.info.dnsNames,
      ipAddresses: current.info.ipAddresses,
      validityDays: this.#config.certificates.cert_validity_time / 86_400,
    })
    const installed = await (await this.#agent()).installCertificate(ep, fresh.certPem + fresh.keyPem, { signal })
    if (installed.serial_number !== fresh.info.serialNumber) {
      throw new Error(`agent ${ep.host} answered serial ${installed.serial_number}, not the one sent (${fresh.info.serialNumber})`)
    }
    return fresh.info
  }

  /** Closes the client's pooled connections. */
  async close(): Promise<void> {
    const client = this.#client
    this.#client = null
    if (client !== null) await (await client.catch(() => null))?.close()
  }

  #material(): Promise<TlsMaterial> {
    this.#tls ??= controllerClientTls(this.#config).catch((err: unknown) => { this.#tls = null; throw err })
    return this.#tls
  }

  #agent(): Promise<AgentClient> {
    this.#client ??= this.#material()
      .then((tls) => new AgentClient(agentClientOptions(this.#config.haproxy_amphora, tls)))
      .catch((err: unknown) => { this.#client = null; throw err })
    return this.#client
  }

  #localCa(): Promise<LocalCa> {
    this.#ca ??= LocalCa.open(join(resolve(this.#config.DEFAULT.state_dir), 'pki'))
      .catch((err: unknown) => { this.#ca = null; throw err })
    return this.#ca
  }
}

/** The `CN=` of a subject as Node prints it (one `KEY=value` per line), or null. */
function commonNameOf(subject: string): string | null {
  const line = subject.split('\n').find((l) => l.startsWith('CN='))
  return line === undefined ? null : line.slice(3)
}
