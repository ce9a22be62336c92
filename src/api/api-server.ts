import type { FastifyInstance } from 'fastify'
import type { Runnable } from '../common/runnable.js'
import { buildApi } from './app.js'
import { createAuthenticator, type Authenticator } from './auth/authenticator.js'
import type { ApiDeps } from './deps.js'
import { buildNeutronApi } from './neutron/neutron-app.js'

/** A listening address. */
export interface BoundAddress {
  readonly host: string
  readonly port: number
}

/**
 * The API as a Runnable: Octavia's API on `[api_settings] bind_host:bind_port`
 * and, when `[neutron_api] enabled`, the Neutron-compatible listener on
 * `[neutron_api] bind_host:bind_port`, both until aborted. The two share one
 * authenticator (one Keystone token cache). If either cannot listen, start
 * rejects and nothing stays bound.
 */
export class ApiServer implements Runnable {
  readonly name = 'api'
  readonly #deps: ApiDeps
  readonly #auth: Authenticator
  readonly #app: FastifyInstance
  readonly #neutron: FastifyInstance | null
  #resolveStopped!: () => void
  readonly stopped = new Promise<void>(r => { this.#resolveStopped = r })

  constructor(deps: ApiDeps) {
    this.#deps = deps
    this.#auth = createAuthenticator(deps)
    this.#app = buildApi(deps, this.#auth)
    this.#neutron = deps.config.neutron_api.enabled ? buildNeutronApi(deps, this.#auth) : null
  }

  /** The bound address (after start), e.g. for port 0 in tests. */
  get address(): BoundAddress {
    return boundAddress(this.#app, 'api')
  }

  /** The Neutron-compatible listener's bound address (after start), or null when it is disabled. */
  get neutronAddress(): BoundAddress | null {
    return this.#neutron ? boundAddress(this.#neutron, 'neutron api') : null
  }

  async start(signal: AbortSignal): Promise<void> {
    const { bind_host: host, bind_port: port } = this.#deps.config.api_settings
    await this.#app.listen({ host, port })
    this.#deps.log.info({ host, port: this.address.port }, 'api listening')
    if (this.#neutron) await this.#listenNeutron(this.#neutron)
    signal.addEventListener('abort', () => {
      void this.#close().finally(() => this.#resolveStopped())
    }, { once: true })
  }

  async #listenNeutron(neutron: FastifyInstance): Promise<void> {
    const { bind_host: host, bind_port: port } = this.#deps.config.neutron_api
    try {
      await neutron.listen({ host, port })
    } catch (err) {
      await this.#close()
      throw new Error(`[neutron_api] cannot listen on ${host}:${port} (${(err as Error).message}); ` +
        'choose another bind_port, or set enabled = false when a real Neutron serves this host', { cause: err })
    }
    this.#deps.log.info({ host, port: this.neutronAddress?.port }, 'neutron-compatible api listening')
  }

  async #close(): Promise<void> {
    await Promise.allSettled([this.#app.close(), this.#neutron?.close()])
    await this.#auth.close()
  }
}

function boundAddress(app: FastifyInstance, what: string): BoundAddress {
  const a = app.server.address()
  if (!a || typeof a === 'string') throw new Error(`${what} server is not listening`)
  return { host: a.address, port: a.port }
}
