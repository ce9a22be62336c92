/**
 * WSME (Octavia's request parser) converts strings for integer and boolean
 * attributes: `"1000"` is accepted where an integer is expected, and
 * `"true"`/`"yes"`/`"1"`… where a boolean is. Real clients depend on it (the
 * openstack CLI sends `connection_limit` as a string). ajv's own coercion also
 * turns null into 0 or false, which breaks Octavia's null semantics, so this
 * converts only strings, only where the route's JSON schema expects an integer,
 * number or boolean, before validation.
 */
type Schema = {
  type?: string | string[]
  properties?: Record<string, Schema>
  items?: Schema
  anyOf?: Schema[]
  oneOf?: Schema[]
  allOf?: Schema[]
  additionalProperties?: boolean | Schema
}

const TRUE = new Set(['true', 't', 'yes', 'y', 'on', '1'])
const FALSE = new Set(['false', 'f', 'no', 'n', 'off', '0'])

/** Returns `value` with WSME's string conversions applied where `schema` asks for it. */
export function coerceLikeWsme(schema: unknown, value: unknown): unknown {
  const s = schema as Schema | undefined
  if (!s || value === null || value === undefined) return value
  const branches = [s, ...(s.anyOf ?? []), ...(s.oneOf ?? []), ...(s.allOf ?? [])]
  if (typeof value === 'string') return coerceString(branches, value)
  if (Array.isArray(value)) {
    const items = branches.find(b => b.items)?.items
    return items ? value.map(v => coerceLikeWsme(items, v)) : value
  }
  if (typeof value === 'object') {
    const props = branches.find(b => b.properties)?.properties
    if (!props) return value
    const out: Record<string, unknown> = { ...(value as Record<string, unknown>) }
    for (const [k, v] of Object.entries(out)) if (props[k]) out[k] = coerceLikeWsme(props[k], v)
    return out
  }
  return value
}

function coerceString(branches: readonly Schema[], value: string): unknown {
  const types = new Set(branches.flatMap(b => (b.type === undefined ? [] : Array.isArray(b.type) ? b.type : [b.type])))
  if (types.has('string')) return value
  if ((types.has('integer') || types.has('number')) && /^\s*-?\d+\s*$/.test(value)) return Number(value)
  if (types.has('number') && /^\s*-?\d+(\.\d+)?\s*$/.test(value)) return Number(value)
  if (types.has('boolean')) {
    const v = value.trim().toLowerCase()
    if (TRUE.has(v)) return true
    if (FALSE.has(v)) return false
  }
  return value
}
