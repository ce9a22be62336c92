import type { FastifyInstance } from 'fastify'
import type { Runnable } from '../common/runnable.js'
import { buildApi } from './app.js'
import type { ApiDeps } from './deps.js'

/** The API as a Runnable: listens on [api_settings] bind_host:bind_port until aborted. */
export class ApiServer implements Runnable {
  readonly name = 'api'
  readonly #deps: ApiDeps
  readonly #app: FastifyInstance
  #resolveStopped!: () => void
  readonly stopped = new Promise<void>(r => { this.#resolveStopped = r })

  constructor(deps: ApiDeps) {
    this.#deps = deps
    this.#app = buildApi(deps)
  }

  /** The bound address (after start), e.g. for port 0 in tests. */
  get address(): { host: string; port: number } {
    const a = this.#app.server.address()
    if (!a || typeof a === 'string') throw new Error('api server is not listening')
    return { host: a.address, port: a.port }
  }

  async start(signal: AbortSignal): Promise<void> {
    const { bind_host: host, bind_port: port } = this.#deps.config.api_settings
    await this.#app.listen({ host, port })
    this.#deps.log.info({ host, port: this.address.port }, 'api listening')
    signal.addEventListener('abort', () => {
      void this.#app.close().finally(() => this.#resolveStopped())
    }, { once: true })
  }
}
