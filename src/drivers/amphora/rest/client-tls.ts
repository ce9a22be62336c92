/**
 * The controller's TLS material for talking to agents: `[haproxy_amphora]
 * client_cert` (cert + key) and `server_ca` when configured; otherwise a
 * client certificate issued by the local CA into
 * `<state_dir>/pki/controller-client.pem`, trusting the local CA.
 */
import { hostname } from 'node:os'
import { join, resolve } from 'node:path'
import type { Config } from '../../../common/config/schema.js'
import { LocalCa } from '../../../pki/local-ca.js'
import { configuredMaterial, ensureIssuedFile, type TlsMaterial } from '../../../pki/tls-material.js'

/** Loads or issues the controller's client certificate. */
export async function controllerClientTls(config: Pick<Config, 'DEFAULT' | 'haproxy_amphora'>): Promise<TlsMaterial> {
  const h = config.haproxy_amphora
  const dir = join(resolve(config.DEFAULT.state_dir), 'pki')
  if (h.client_cert !== '') return configuredMaterial(h.client_cert, h.server_ca || LocalCa.certPath(dir))
  const ca = await LocalCa.open(dir)
  const path = join(dir, 'controller-client.pem')
  await ensureIssuedFile(ca, path, () => ca.issueClient({ commonName: `octavia-ts controller ${hostname()}` }))
  return configuredMaterial(path, h.server_ca || LocalCa.certPath(dir))
}
