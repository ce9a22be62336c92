import type { Config } from '../common/config/schema.js'
import type { Logger } from '../common/logging.js'
import { agentBaseDir } from './agent-paths.js'
import { AgentServer } from './agent-server.js'
import { agentServerTls } from './agent-tls.js'

/**
 * The amphora agent as a Runnable, from the configuration: `[amphora_agent]`
 * (listener, TLS, timeouts) and `[haproxy_amphora] base_path, haproxy_cmd`.
 * `octavia-ts agent` runs it alone; `serve` can run it in-process beside the
 * other components.
 */
export function createAmphoraAgent(config: Pick<Config, 'DEFAULT' | 'amphora_agent' | 'haproxy_amphora'>, log: Logger): AgentServer {
  const a = config.amphora_agent
  return new AgentServer({
    bindHost: a.bind_host,
    bindPort: a.bind_port,
    baseDir: agentBaseDir(config.haproxy_amphora.base_path, config.DEFAULT.state_dir),
    haproxy: {
      haproxyCmd: config.haproxy_amphora.haproxy_cmd,
      readyTimeoutMs: a.haproxy_ready_timeout * 1000,
      stopTimeoutMs: a.haproxy_stop_timeout * 1000,
    },
    tls: () => agentServerTls(config),
    minTlsVersion: a.agent_tls_protocol,
    requestTimeoutMs: a.agent_request_read_timeout * 1000,
    watchdogIntervalMs: a.haproxy_watchdog_interval * 1000,
    log: log.child({ component: 'amphora-agent' }),
  })
}
