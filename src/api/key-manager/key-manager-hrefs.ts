import type { FastifyRequest } from 'fastify'
import { baseUrlOf } from '../versions.js'

/**
 * Barbican's HATEOAS references, built as Barbican builds them without
 * `host_href`: from the request's scheme and Host, plus the mount prefix
 * the request came through (so a secret stored through the catalog's
 * `/key-manager` endpoint gets `…/key-manager/v1/secrets/<id>`).
 */
export class KeyManagerHrefs {
  readonly #v1: string

  constructor(req: FastifyRequest, mount: string) {
    this.#v1 = `${baseUrlOf(req)}${mount}/v1`
  }

  /** `<base>/v1`, the root of the version's resources. */
  get v1(): string {
    return this.#v1
  }

  secret(id: string): string {
    return `${this.#v1}/secrets/${id}`
  }

  container(id: string): string {
    return `${this.#v1}/containers/${id}`
  }

  /** A page of a list: `<base>/v1/<collection>?limit=L&offset=O[&<query>]`. */
  page(collection: string, offset: number, limit: number, query: string): string {
    return `${this.#v1}/${collection}?limit=${limit}&offset=${offset}${query ? `&${query}` : ''}`
  }
}

/**
 * The id at the end of a secret reference (Barbican takes what follows the
 * last `/`, ignoring one trailing `/`).
 */
export function idOfRef(ref: string): string {
  const trimmed = ref.endsWith('/') ? ref.slice(0, -1) : ref
  return trimmed.slice(trimmed.lastIndexOf('/') + 1)
}
