import type { FastifyInstance } from 'fastify'
import { buildApi } from '../../src/api/app.js'
import { compose, type Composition, type CompositionInput } from '../../src/cmd/compose.js'

/** The API (in-process, no listener) and a running worker, composed as `serve` composes them. */
export interface ComposedApi {
  readonly parts: Composition
  readonly app: FastifyInstance
  /** The first declared subnet's id. */
  readonly subnetId: string
  /** A JSON request through app.inject; the body parsed (null when empty). */
  request(method: string, url: string, body?: unknown): Promise<{ status: number; body: any }>
  /** Stops the worker and closes the API. */
  stop(): Promise<void>
}

/** Composes `input`, readies the API and starts the worker. */
export async function startComposedApi(input: CompositionInput): Promise<ComposedApi> {
  const parts = compose(input)
  const app = buildApi(parts.apiDeps)
  await app.ready()
  const worker = parts.worker()
  const abort = new AbortController()
  await worker.start(abort.signal)
  return {
    parts, app, subnetId: parts.network.listSubnets()[0].id,
    request: async (method, url, body) => {
      const res = await app.inject({
        method: method as 'GET', url, headers: { 'content-type': 'application/json' },
        payload: body === undefined ? undefined : JSON.stringify(body),
      })
      return { status: res.statusCode, body: res.body === '' ? null : JSON.parse(res.body) }
    },
    stop: async () => {
      abort.abort()
      await worker.stopped
      await app.close()
    },
  }
}
