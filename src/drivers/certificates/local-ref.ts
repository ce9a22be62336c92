/** A reference of the local store: a secret or a certificate container, by id. */
export interface LocalRef {
  readonly kind: 'secret' | 'container'
  readonly id: string
}

const REF_PATH = /\/v1\/(secrets|containers)\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/?$/i

/**
 * What a reference names: any scheme and host (the store's hrefs carry the
 * Host its client used, which the worker cannot know), a path ending in
 * `/v1/secrets/<uuid>` or `/v1/containers/<uuid>` under any prefix (e.g.
 * `/key-manager`). Null for anything else (a query or fragment included).
 */
export function parseLocalRef(ref: string): LocalRef | null {
  let path: string
  try {
    const url = new URL(ref)
    if (url.search !== '' || url.hash !== '' || !['http:', 'https:'].includes(url.protocol)) return null
    path = url.pathname
  } catch {
    return null
  }
  const m = REF_PATH.exec(path)
  return m ? { kind: m[1] === 'secrets' ? 'secret' : 'container', id: m[2].toLowerCase() } : null
}
