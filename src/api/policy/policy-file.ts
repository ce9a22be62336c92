import { readFileSync } from 'node:fs'
import { parse as parseYaml } from 'yaml'
import { PolicyRuleError } from './rule-parser.js'

/**
 * Reads an oslo.policy file: a YAML or JSON map of rule name → rule (a
 * string, or the legacy list form). JSON is tried first, then YAML, as
 * oslo.policy does. Throws PolicyRuleError naming the file when it cannot
 * be read or is not such a map.
 */
export function readPolicyFile(path: string): Record<string, unknown> {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (err) {
    throw new PolicyRuleError(`policy file ${path} cannot be read: ${(err as Error).message}`)
  }
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch {
    try {
      data = parseYaml(text)
    } catch (err) {
      throw new PolicyRuleError(`policy file ${path} is neither JSON nor YAML: ${(err as Error).message.split('\n')[0]}`)
    }
  }
  if (data === null || data === undefined) return {}
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw new PolicyRuleError(`policy file ${path} must map rule names to rules`)
  }
  return data as Record<string, unknown>
}
