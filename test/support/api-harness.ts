import type { FastifyInstance } from 'fastify'
import { buildApi } from '../../src/api/app.js'
import { compose, type CompositionInput } from '../../src/cmd/compose.js'
import type { ApiDeps } from '../../src/api/deps.js'
import { loadConfig } from '../../src/common/config/load.js'
import type { Config } from '../../src/common/config/schema.js'
import { silentLogger } from '../../src/common/logging.js'
import type { Dialect } from '../../src/db/database.js'
import { freshDatabase } from './databases.js'

export interface Reply {
  readonly status: number
  readonly body: any
  readonly headers: Record<string, unknown>
}

/** The API in-process on a real database, with the worker and the noop provider. */
export interface Harness {
  readonly app: FastifyInstance
  readonly deps: ApiDeps
  readonly config: Config
  readonly dialect: Dialect
  request(method: string, url: string, body?: unknown, headers?: Record<string, string>): Promise<Reply>
  /** Polls `GET url` until `body[key].provisioning_status` (or `pick(body)`) equals `want`; throws after `ms`. */
  waitFor(url: string, want?: string, pick?: (body: any) => unknown, ms?: number): Promise<any>
  close(): Promise<void>
}

/**
 * Starts a harness. `options` overrides configuration as `{ section: { option: value } }`
 * (strings, as an INI file would give them). `setup` may add hooks to the app before it is ready
 * (e.g. installHeaderCallers of test/support/test-callers.ts). `parts` hands in
 * parts of the composition (e.g. an in-memory certificate manager).
 */
export async function startHarness(
  dialect: Dialect, options: Record<string, Record<string, string>> = {}, setup?: (app: FastifyInstance) => void,
  parts: Pick<CompositionInput, 'certificates'> = {},
): Promise<Harness> {
  // loopback mode's default network (127.226.0.0/16) even when the tests run as root;
  // the noop provider only (the amphora provider, the default, needs an agent: test/e2e/amphora-*)
  const env: NodeJS.ProcessEnv = {
    OCTAVIA_TS__controller_worker__compute_driver: 'loopback',
    OCTAVIA_TS__api_settings__enabled_provider_drivers: 'noop_driver:The no-op driver.',
    OCTAVIA_TS__api_settings__default_provider_driver: 'noop_driver',
  }
  for (const [section, values] of Object.entries(options)) {
    for (const [k, v] of Object.entries(values)) env[`OCTAVIA_TS__${section}__${k}`] = v
  }
  const config = loadConfig(undefined, env)
  const db = await freshDatabase(dialect)
  const log = silentLogger()
  const composition = compose({ config, database: db.database, log, ...parts })
  const deps = composition.apiDeps
  const app = buildApi(deps)
  setup?.(app)
  await app.ready()
  const worker = composition.worker()
  const abort = new AbortController()
  await worker.start(abort.signal)

  const request = async (method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> => {
    const res = await app.inject({
      method: method as 'GET', url, headers: { 'content-type': 'application/json', ...headers },
      payload: body === undefined ? undefined : JSON.stringify(body),
    })
    let parsed: unknown = res.body
    try { parsed = res.body === '' ? null : JSON.parse(res.body) } catch { /* not JSON */ }
    return { status: res.statusCode, body: parsed, headers: res.headers }
  }
  const waitFor = async (url: string, want = 'ACTIVE', pick?: (body: any) => unknown, ms = 5000) => {
    const deadline = Date.now() + ms
    let last: unknown
    for (;;) {
      const r = await request('GET', url)
      last = pick ? pick(r.body) : (r.body && typeof r.body === 'object' ? Object.values(r.body)[0] as any : undefined)?.provisioning_status
      if (pick ? last === want : last === want) return r.body
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${url} to be ${want}; last ${JSON.stringify(last)}`)
      await new Promise(r2 => setTimeout(r2, 10))
    }
  }
  return {
    app, deps, config, dialect, request, waitFor,
    close: async () => {
      abort.abort()
      await worker.stopped
      await app.close()
      await db.drop()
    },
  }
}
