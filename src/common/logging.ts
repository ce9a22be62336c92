import { pino, type Logger } from 'pino'

export type { Logger }

/**
 * Creates the process logger: JSON lines on stderr. Child loggers carry
 * `lbId`, `amphoraId`, `flowId`, `jobId` or `reqId` (STYLE.md R15).
 */
export function createLogger(opts: { level?: string; name?: string } = {}): Logger {
  return pino({
    name: opts.name ?? 'octavia-ts',
    level: opts.level ?? process.env.LOG_LEVEL ?? 'info',
    redact: { paths: ['req.headers["x-auth-token"]', 'headers["x-auth-token"]', 'token'], censor: '[redacted]' },
  }, pino.destination(2))
}

/** A logger that discards everything (tests). */
export const silentLogger = (): Logger => pino({ level: 'silent' })
