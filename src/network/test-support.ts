import { loadConfig } from '../common/config/load.js'
import { LocalNetworkService } from './local-network-service.js'

/**
 * A local network service from configuration given as `{ section: { option: value } }`
 * (strings, as an INI file would give them). For tests.
 */
export function localServiceFor(options: Record<string, Record<string, string>> = {}): LocalNetworkService {
  const env: NodeJS.ProcessEnv = {}
  for (const [section, values] of Object.entries(options)) {
    for (const [k, v] of Object.entries(values)) env[`OCTAVIA_TS__${section}__${k}`] = v
  }
  return new LocalNetworkService(loadConfig(undefined, env))
}
