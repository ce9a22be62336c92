import { readFileSync } from 'node:fs'
import { parse } from 'ini'
import { configSchema, type Config } from './schema.js'
import type { OptionDef } from './options.js'

/** Prefixes of sections that hold several named items (e.g. `[network:public]`). */
const ITEM_SECTION_PREFIXES = ['network:']

/**
 * Loads and validates the configuration. Sources, later wins: schema defaults,
 * the INI file, environment overrides `OCTAVIA_TS__<SECTION>__<OPTION>=value`.
 * Throws an Error naming the section, option and expected kind for a bad value
 * or an unknown option.
 */
export function loadConfig(file?: string, env: NodeJS.ProcessEnv = process.env): Config {
  const raw: Record<string, Record<string, unknown>> = file ? parse(readFileSync(file, 'utf8')) : {}
  // ini puts top-level keys (before any section) at the root; treat them as [DEFAULT].
  const defaults: Record<string, unknown> = { ...(raw.DEFAULT as object ?? {}) }
  for (const [k, v] of Object.entries(raw)) if (typeof v !== 'object' || v === null) defaults[k] = v
  raw.DEFAULT = defaults
  for (const [k, v] of Object.entries(env)) {
    const m = /^OCTAVIA_TS__([A-Za-z0-9_:.-]+)__([A-Za-z0-9_]+)$/.exec(k)
    if (!m || v === undefined) continue
    const section = m[1] === 'DEFAULT' ? 'DEFAULT' : m[1].toLowerCase()
    ;(raw[section] ??= {})[m[2].toLowerCase()] = v
  }
  const out: Record<string, unknown> = {}
  const extra: Record<string, Record<string, string>> = {}
  for (const [section, values] of Object.entries(raw)) {
    if (typeof values !== 'object' || values === null) continue
    if (ITEM_SECTION_PREFIXES.some(p => section.startsWith(p))) {
      extra[section] = Object.freeze(Object.fromEntries(Object.entries(values).map(([k, v]) => [k, String(v)])))
      continue
    }
    if (!(section in configSchema)) continue // sections of other tools (e.g. keystone) are ignored
  }
  for (const [section, defs] of Object.entries(configSchema) as [string, Record<string, OptionDef<unknown>>][]) {
    const given = (raw[section] ?? {}) as Record<string, unknown>
    const group: Record<string, unknown> = {}
    for (const [name, def] of Object.entries(defs)) {
      const value = given[name]
      if (value === undefined || value === '') { group[name] = def.default; continue }
      try {
        group[name] = def.parse(String(value))
      } catch (err) {
        throw new Error(`invalid configuration: [${section}] ${name}: ${(err as Error).message}`, { cause: err })
      }
    }
    for (const name of Object.keys(given)) {
      if (section !== 'DEFAULT' && !(name in defs)) throw new Error(`invalid configuration: [${section}] ${name}: unknown option`)
    }
    out[section] = Object.freeze(group)
  }
  out.extraSections = Object.freeze(extra)
  return Object.freeze(out) as Config
}
