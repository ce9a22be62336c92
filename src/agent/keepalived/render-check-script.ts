/**
 * The track script keepalived runs for one amphora (as root, inside the
 * amphora's namespace; the pid namespace is the host's). It succeeds only
 * when every load balancer of the amphora that should serve has a live
 * HAProxy master: a load balancer directory with a `haproxy.cfg` and no
 * `stopped` marker (stopped on purpose, as Octavia drops a stopped listener
 * from its check) must hold a `haproxy.pid` (the master pid the agent
 * records on start and removes on stop) naming a process that is alive and
 * not a zombie. An amphora without load balancers passes (Octavia's check
 * with no listener passes too), so a fresh load balancer can elect a MASTER.
 *
 * Pure; the agent writes the text with mode 0700 (keepalived's
 * `enable_script_security` refuses a script others may change).
 */
import { KeepalivedConfigError } from './keepalived-config-error.js'

/** Directories that are plain words in single quotes (no quote, no control characters). */
const DIR = /^(\/[A-Za-z0-9_.][A-Za-z0-9_.-]*)+$/

/** The script text for the amphora directory `amphoraDir` (absolute). Throws KeepalivedConfigError for an unusable path. */
export function renderCheckScript(amphoraDir: string): string {
  if (!DIR.test(amphoraDir)) throw new KeepalivedConfigError('the amphora directory is not a plain absolute path')
  return [
    '#!/bin/sh',
    '# keepalived track script written by the octavia-ts amphora agent. Do not edit.',
    '# Fails when a load balancer of this amphora that should serve has no live HAProxy master.',
    `dir='${amphoraDir}'`,
    'for cfg in "$dir"/*/haproxy.cfg; do',
    '    [ -f "$cfg" ] || continue',
    '    lb=${cfg%/haproxy.cfg}',
    '    [ -e "$lb/stopped" ] && continue',
    '    pid=$(cat "$lb/haproxy.pid" 2>/dev/null) || exit 1',
    '    case "$pid" in ""|*[!0-9]*) exit 1 ;; esac',
    '    stat=$(cat "/proc/$pid/stat" 2>/dev/null) || exit 1',
    '    case "${stat##*) }" in Z*|X*) exit 1 ;; esac',
    'done',
    'exit 0',
    '',
  ].join('\n')
}
