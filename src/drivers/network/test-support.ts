import { loadConfig } from '../../common/config/load.js'
import { LocalNetworkService } from './local/local-network-service.js'

/**
 * A local network service from configuration given as `{ section: { option: value } }`
 * (strings, as an INI file would give them). For tests.
 */
export function localServiceFor(options: Record<string, Record<string, string>> = {}): LocalNetworkService {
  // loopback mode's default network (127.226.0.0/16) even when the tests run as root
  const env: NodeJS.ProcessEnv = { OCTAVIA_TS__controller_worker__compute_driver: 'loopback' }
  for (const [section, values] of Object.entries(options)) {
    for (const [k, v] of Object.entries(values)) env[`OCTAVIA_TS__${section}__${k}`] = v
  }
  return new LocalNetworkService(loadConfig(undefined, env))
}
