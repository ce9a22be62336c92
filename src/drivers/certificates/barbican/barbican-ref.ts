/**
 * Barbican references as users pass them: a secret href
 * (`…/v1/secrets/<uuid>`) or a certificate container href
 * (`…/v1/containers/<uuid>`). Like python-barbicanclient, only the kind and
 * the UUID are used; requests go to the key-manager endpoint of the catalog,
 * whatever host the href names.
 */

export interface BarbicanRef {
  readonly kind: 'secrets' | 'containers'
  readonly id: string
}

const REF = /\/(secrets|containers)\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/?$/i

/** The kind and UUID of `ref`, or null when it is no secret or container href. */
export function parseBarbicanRef(ref: string): BarbicanRef | null {
  const m = REF.exec(ref.split(/[?#]/)[0] ?? '')
  if (!m) return null
  return Object.freeze({ kind: m[1] as BarbicanRef['kind'], id: (m[2] ?? '').toLowerCase() })
}

/** The `/v1` base of a catalog URL (python-barbicanclient appends the version when the catalog has none). */
export function versionedBase(catalogUrl: string): string {
  const trimmed = catalogUrl.replace(/\/+$/, '')
  return /\/v1$/.test(trimmed) ? trimmed : `${trimmed}/v1`
}

/** `<base>/<kind>/<id>` */
export function refUrl(base: string, ref: BarbicanRef): string {
  return `${base}/${ref.kind}/${ref.id}`
}
