import type { Config } from '../common/config/schema.js'
import type { Logger } from '../common/logging.js'
import { resolveHeartbeatKey } from '../amphora-api/heartbeat-key.js'
import { agentBaseDir } from '../amphora-api/agent-paths.js'
import { AgentServer } from './agent-server.js'
import { agentServerTls } from './agent-tls.js'
import type { KeepalivedSettings } from './keepalived/amphora-keepalived.js'

/**
 * The amphora agent as a Runnable, from the configuration: `[amphora_agent]`
 * (listener, TLS, timeouts), `[haproxy_amphora] base_path, haproxy_cmd` and
 * `[certificates] cert_validity_time` (its first certificate), and
 * `[health_manager] controller_ip_port_list, heartbeat_interval,
 * heartbeat_key` (its heartbeats), and
 * `[keepalived_vrrp]` (keepalived of ACTIVE_STANDBY amphorae, which use the
 * agent's HAProxy start and stop timeouts too).
 * `octavia-ts agent` runs it alone; `serve` can run it in-process beside the
 * other components.
 */
export function createAmphoraAgent(config: Pick<Config, 'DEFAULT' | 'amphora_agent' | 'haproxy_amphora' | 'certificates' | 'health_manager' | 'keepalived_vrrp'>, log: Logger): AgentServer {
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
    keepalived: keepalivedSettings(config.keepalived_vrrp, a),
    tls: () => agentServerTls(config),
    minTlsVersion: a.agent_tls_protocol,
    requestTimeoutMs: a.agent_request_read_timeout * 1000,
    watchdogIntervalMs: a.haproxy_watchdog_interval * 1000,
    heartbeat: {
      intervalMs: config.health_manager.heartbeat_interval * 1000,
      key: () => resolveHeartbeatKey(config),
      destinations: config.health_manager.controller_ip_port_list,
    },
    log: log.child({ component: 'amphora-agent' }),
  })
}

/** `[keepalived_vrrp]` as the agent uses it. */
function keepalivedSettings(k: Config['keepalived_vrrp'], a: Config['amphora_agent']): KeepalivedSettings {
  return {
    keepalivedCmd: k.keepalived_cmd,
    timers: {
      checkInterval: k.vrrp_check_interval, failCount: k.vrrp_fail_count, successCount: k.vrrp_success_count,
      garpRefreshInterval: k.vrrp_garp_refresh_interval, garpRefreshCount: k.vrrp_garp_refresh_count,
    },
    readyTimeoutMs: a.haproxy_ready_timeout * 1000,
    stopTimeoutMs: a.haproxy_stop_timeout * 1000,
  }
}
