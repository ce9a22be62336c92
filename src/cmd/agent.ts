import { createAmphoraAgent } from '../agent/create-agent.js'
import { loadConfig } from '../common/config/load.js'
import { createLogger } from '../common/logging.js'
import { configPath } from './context.js'

/**
 * `octavia-ts agent`: the amphora agent alone (no database), until SIGINT or
 * SIGTERM. The HAProxies it manages keep running when it stops.
 */
export async function runAgent(configFile: string | undefined): Promise<void> {
  const config = loadConfig(configPath(configFile))
  const log = createLogger({ name: 'octavia-ts-agent', level: config.DEFAULT.debug ? 'debug' : undefined })
  const agent = createAmphoraAgent(config, log)
  const abort = new AbortController()
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => abort.abort())
  await agent.start(abort.signal)
  await agent.stopped
}
