/**
 * Listener timeouts (ms) used when a create omits them or an update sets them
 * to null: Octavia's `[haproxy_amphora] timeout_*` defaults.
 * NOTE: constants until the configuration schema has a haproxy_amphora group
 * that ApiDeps carries.
 */
export const LISTENER_TIMEOUT_DEFAULTS = {
  timeout_client_data: 50000,
  timeout_member_connect: 5000,
  timeout_member_data: 50000,
  timeout_tcp_inspect: 0,
} as const
