/**
 * Where the agent keeps the files of its amphorae, below one base directory
 * (`[haproxy_amphora] base_path`, default `<state_dir>/amphorae`):
 *
 * ```
 * <base>/heartbeats.json                      the heartbeat sender's seq and last-sent counters of every amphora
 * <base>/<amphora_id>/amphora.json            registration (netns)
 * <base>/<amphora_id>/failed                  present once the agent saw the amphora break: the reason (heartbeat `failed`)
 * <base>/<amphora_id>/vrrp.json               VRRP spec and interface (ACTIVE_STANDBY; see keepalivedPaths)
 * <base>/<amphora_id>/keepalived.*            keepalived's config, pid files, run marker and log; keepalived-check.sh
 * <base>/<amphora_id>/<lb_id>/haproxy.cfg     config in use
 * <base>/<amphora_id>/<lb_id>/haproxy.cfg.lkg last known good (started or reloaded successfully)
 * <base>/<amphora_id>/<lb_id>/haproxy.cfg.new candidate being checked
 * <base>/<amphora_id>/<lb_id>/haproxy.pid     pid of the HAProxy master
 * <base>/<amphora_id>/<lb_id>/stopped         present when the LB was stopped on purpose
 * <base>/<amphora_id>/<lb_id>/servers-state   server-state-file (saved before each reload)
 * <base>/<amphora_id>/<lb_id>/haproxy.log     HAProxy's stdout/stderr
 * <base>/<amphora_id>/<lb_id>/certs/<sha256>.pem   TLS files (0600 in a 0700 directory; see certificate-files.ts)
 * <base>/run/<key>.stats.sock, <key>.master.sock   sockets (see runtimePaths)
 * ```
 *
 * NOTE: unix socket paths are limited to 107 bytes, and two uuids alone take
 * 74; the sockets therefore live in `<base>/run/` under a key derived from
 * (amphora id, lb id), which keeps them short for any reasonable base.
 */
import { createHash } from 'node:crypto'
import { join, resolve } from 'node:path'

/** Ids used as path components: uuids and similar (no dots, no slashes). */
export const SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/

/** Paths of the HAProxy of one load balancer on one amphora. */
export interface LoadBalancerPaths {
  readonly dir: string
  readonly config: string
  readonly candidate: string
  readonly lastKnownGood: string
  readonly pidFile: string
  readonly stoppedMarker: string
  readonly serverStateFile: string
  readonly log: string
  readonly statsSocket: string
  readonly masterSocket: string
}

/** The paths the controller must render into the HAProxy config (RenderOptions). */
export interface HaproxyRuntimePaths {
  readonly statsSocketPath: string
  readonly serverStateFilePath: string
}

/** Longest unix socket path Linux accepts (sun_path minus the terminating NUL). */
export const MAX_SOCKET_PATH = 107

/**
 * The base directory: `[haproxy_amphora] base_path`, else
 * `<state_dir>/amphorae`, made absolute (HAProxy runs in its own cwd).
 */
export function agentBaseDir(basePath: string, stateDir: string): string {
  return resolve(basePath !== '' ? basePath : join(stateDir, 'amphorae'))
}

/** `<base>/<amphora_id>` */
export function amphoraDir(base: string, amphoraId: string): string {
  return join(base, checkId('amphora id', amphoraId))
}

/** `<base>/<amphora_id>/amphora.json` */
export function registrationFile(base: string, amphoraId: string): string {
  return join(amphoraDir(base, amphoraId), 'amphora.json')
}

/** `<base>/<amphora_id>/failed`: the failure reason, kept until the amphora is unregistered. */
export function failedFile(base: string, amphoraId: string): string {
  return join(amphoraDir(base, amphoraId), 'failed')
}

/**
 * `<base>/heartbeats.json`: the heartbeat sender's seq and last-sent
 * counters of every amphora, one file for the whole agent (written once per
 * round rather than once per amphora; see heartbeat-state-file.ts).
 */
export function heartbeatStateFile(base: string): string {
  return join(base, 'heartbeats.json')
}

/**
 * Paths of the keepalived of one amphora (ACTIVE_STANDBY). Plain files in the
 * amphora's directory: its subdirectories are load balancers.
 */
export interface KeepalivedPaths {
  readonly dir: string
  /** The stored VrrpSpec and the interface it was rendered for (JSON). */
  readonly spec: string
  readonly config: string
  /** A rendered config while `keepalived --config-test` checks it. */
  readonly candidate: string
  /** keepalived's own pid file of its parent process (`-p`). */
  readonly pidFile: string
  /** keepalived's pid file of its VRRP child (`-r`). */
  readonly vrrpPidFile: string
  /** Present while keepalived should run: started, and not stopped or torn down since. */
  readonly runMarker: string
  /** The track script run by keepalived (fails when a HAProxy of the amphora is not alive). */
  readonly checkScript: string
  /** keepalived's stdout/stderr (`--log-console`). */
  readonly log: string
}

/** Every path of the keepalived of one amphora. Throws on an unsafe id. */
export function keepalivedPaths(base: string, amphoraId: string): KeepalivedPaths {
  const dir = amphoraDir(base, amphoraId)
  return Object.freeze({
    dir,
    spec: join(dir, 'vrrp.json'),
    config: join(dir, 'keepalived.conf'),
    candidate: join(dir, 'keepalived.conf.new'),
    pidFile: join(dir, 'keepalived.pid'),
    vrrpPidFile: join(dir, 'keepalived-vrrp.pid'),
    runMarker: join(dir, 'keepalived.run'),
    checkScript: join(dir, 'keepalived-check.sh'),
    log: join(dir, 'keepalived.log'),
  })
}

/** Every path of one load balancer's HAProxy. Throws on an unsafe id or a socket path too long. */
export function loadBalancerPaths(base: string, amphoraId: string, lbId: string): LoadBalancerPaths {
  const dir = join(amphoraDir(base, amphoraId), checkId('load balancer id', lbId))
  const sockets = join(base, 'run', socketKey(amphoraId, lbId))
  const statsSocket = `${sockets}.stats.sock`
  if (statsSocket.length > MAX_SOCKET_PATH) {
    throw new Error(`socket path ${statsSocket} is longer than ${MAX_SOCKET_PATH} bytes: choose a shorter base_path`)
  }
  return Object.freeze({
    dir,
    config: join(dir, 'haproxy.cfg'),
    candidate: join(dir, 'haproxy.cfg.new'),
    lastKnownGood: join(dir, 'haproxy.cfg.lkg'),
    pidFile: join(dir, 'haproxy.pid'),
    stoppedMarker: join(dir, 'stopped'),
    serverStateFile: join(dir, 'servers-state'),
    log: join(dir, 'haproxy.log'),
    statsSocket,
    masterSocket: `${sockets}.master.sock`,
  })
}

/**
 * The stats socket and server-state file the agent expects in the config of
 * load balancer `lbId` on amphora `amphoraId`: the controller passes them to
 * `renderHaproxyConfig` as `statsSocketPath` / `serverStateFilePath`, with
 * `base` = agentBaseDir(config.haproxy_amphora.base_path, config.DEFAULT.state_dir)
 * of the agent host. Pure; throws on an unsafe id.
 */
export function haproxyRuntimePaths(base: string, amphoraId: string, lbId: string): HaproxyRuntimePaths {
  const p = loadBalancerPaths(base, amphoraId, lbId)
  return Object.freeze({ statsSocketPath: p.statsSocket, serverStateFilePath: p.serverStateFile })
}

/** `<base>/run`: the socket directory (mode 0700). */
export function socketDir(base: string): string {
  return join(base, 'run')
}

/** 16 hex digits of SHA-256(amphora id / lb id): unique in practice, short enough for sun_path. */
function socketKey(amphoraId: string, lbId: string): string {
  return createHash('sha256').update(`${amphoraId}/${lbId}`).digest('hex').slice(0, 16)
}

function checkId(what: string, id: string): string {
  if (!SAFE_ID.test(id)) throw new Error(`${what} '${id}' is not a valid id`)
  return id
}
