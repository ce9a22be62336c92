import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'

/**
 * What a service leaves on this host, read from /proc and `ip netns list`:
 * for tests that prove a configuration starts nothing (Octavia's noop gate).
 * Other developers' tests run on the same host, so every check is narrowed
 * to what names the service (its directory, its pid, its amphora ids).
 */

/** The numeric entries of /proc (processes alive now). */
const pids = (): string[] => readdirSync('/proc').filter(p => /^\d+$/.test(p))

const readOrEmpty = (file: string): string => {
  try { return readFileSync(file, 'utf8') } catch { return '' }
}

/** `pid: command line` of every process whose command line names `text` (HAProxy and keepalived name their files). */
export function processesNaming(text: string): string[] {
  return pids().flatMap(pid => {
    const cmdline = readOrEmpty(`/proc/${pid}/cmdline`)
    return cmdline.includes(text) ? [`${pid}: ${cmdline.replace(/\0/g, ' ').trim()}`] : []
  })
}

/** `pid (comm)` of every process whose parent is `parent`. */
export function childProcessesOf(parent: number): string[] {
  return pids().flatMap(pid => {
    const stat = readOrEmpty(`/proc/${pid}/stat`)
    const close = stat.lastIndexOf(')')
    if (close < 0) return []
    const ppid = Number(stat.slice(close + 2).split(' ')[1])
    return ppid === parent ? [`${pid} ${stat.slice(stat.indexOf('('), close + 1)}`] : []
  })
}

/** The names `ip netns list` prints (empty when `ip` is missing or lists nothing). */
export function namespaceNames(): string[] {
  let out = ''
  try {
    out = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
  } catch { /* no ip, no namespaces */ }
  return out.split('\n').map(l => l.split(' ')[0]).filter(Boolean)
}

/** The local addresses (`hex ip:hex port`) of TCP sockets in LISTEN on `port`, IPv4 and IPv6, any address. */
export function listenersOn(port: number): string[] {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0')
  return ['/proc/net/tcp', '/proc/net/tcp6'].flatMap(file => readOrEmpty(file).split('\n').slice(1)
    .map(line => line.trim().split(/\s+/))
    .filter(f => f.length > 3 && f[1].endsWith(`:${hexPort}`) && f[3] === '0A')
    .map(f => f[1]))
}
