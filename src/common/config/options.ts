/**
 * Typed option definitions for the INI configuration. Each option knows how to
 * parse the string the INI file (or an environment override) gives, and its default.
 */
export interface OptionDef<T> {
  readonly kind: string
  readonly default: T
  readonly help: string
  parse(raw: string): T
}

const fail = (kind: string, raw: string): never => {
  throw new Error(`expected ${kind}, got '${raw}'`)
}

export const str = (def: string, help = ''): OptionDef<string> =>
  ({ kind: 'string', default: def, help, parse: raw => raw })

export const int = (def: number, help = '', min = -Infinity, max = Infinity): OptionDef<number> => ({
  kind: 'integer', default: def, help,
  parse: raw => {
    if (!/^-?\d+$/.test(raw.trim())) return fail('an integer', raw)
    const n = Number(raw)
    if (n < min || n > max) return fail(`an integer in [${min}, ${max}]`, raw)
    return n
  },
})

export const num = (def: number, help = '', min = -Infinity, max = Infinity): OptionDef<number> => ({
  kind: 'number', default: def, help,
  parse: raw => {
    const n = Number(raw)
    if (!Number.isFinite(n) || raw.trim() === '') return fail('a number', raw)
    if (n < min || n > max) return fail(`a number in [${min}, ${max}]`, raw)
    return n
  },
})

export const bool = (def: boolean, help = ''): OptionDef<boolean> => ({
  kind: 'boolean', default: def, help,
  parse: raw => {
    const v = raw.trim().toLowerCase()
    if (['true', 'yes', 'on', '1'].includes(v)) return true
    if (['false', 'no', 'off', '0'].includes(v)) return false
    return fail('a boolean', raw)
  },
})

export const oneOf = <const T extends string>(values: readonly T[], def: T, help = ''): OptionDef<T> => ({
  kind: `one of ${values.join(', ')}`, default: def, help,
  parse: raw => (values.includes(raw.trim() as T) ? (raw.trim() as T) : fail(`one of ${values.join(', ')}`, raw)),
})

/** Comma-separated list (oslo.config ListOpt). */
export const list = (def: readonly string[], help = ''): OptionDef<readonly string[]> => ({
  kind: 'list', default: def, help,
  parse: raw => raw.split(',').map(s => s.trim()).filter(s => s !== ''),
})

/** `key:value, key:value` (oslo.config DictOpt). */
export const dict = (def: Readonly<Record<string, string>>, help = ''): OptionDef<Readonly<Record<string, string>>> => ({
  kind: 'dict', default: def, help,
  parse: raw => Object.fromEntries(raw.split(',').map(s => s.trim()).filter(s => s !== '').map(pair => {
    const i = pair.indexOf(':')
    return i < 0 ? fail('key:value pairs', raw) : [pair.slice(0, i).trim(), pair.slice(i + 1).trim()]
  })),
})
