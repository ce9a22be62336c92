/**
 * The golden cases of the HAProxy renderer: every `<feature>.json` of this
 * directory is `{ "comment", "options"?, "view", "tlsFiles"? }` — the load
 * balancer view, the render options overriding GOLDEN_OPTIONS (`log` and
 * `timeouts` merged field by field) and where its TLS references lie on the
 * amphora — and `<feature>.cfg` is the expected output.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { LoadBalancerView } from '../../../src/model/load-balancer-view.js'
import type { RenderOptions } from '../../../src/drivers/amphora/haproxy/render-options.js'
import type { TlsFiles } from '../../../src/drivers/amphora/haproxy/tls-files.js'
import { GOLDEN_OPTIONS, tlsFiles } from './view-builders.js'

export const GOLDEN_DIR = dirname(fileURLToPath(import.meta.url))

export interface GoldenCase {
  readonly feature: string
  readonly view: LoadBalancerView
  readonly options: RenderOptions
  readonly files: TlsFiles
  /** Path of the expected configuration. */
  readonly cfgPath: string
}

interface GoldenInput {
  readonly comment: string
  readonly options?: Partial<Omit<RenderOptions, 'log' | 'timeouts'>> & {
    readonly log?: Partial<RenderOptions['log']>
    readonly timeouts?: Partial<RenderOptions['timeouts']>
  }
  readonly view: LoadBalancerView
  /** TlsFiles as plain objects (reference → path). */
  readonly tlsFiles?: { readonly certificates?: Record<string, string>; readonly secrets?: Record<string, string> }
}

/** Every golden case, sorted by feature name. */
export function goldenCases(): GoldenCase[] {
  return readdirSync(GOLDEN_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => {
      const input = JSON.parse(readFileSync(join(GOLDEN_DIR, file), 'utf8')) as GoldenInput
      const o = input.options ?? {}
      const options: RenderOptions = {
        ...GOLDEN_OPTIONS,
        ...o,
        log: { ...GOLDEN_OPTIONS.log, ...o.log },
        timeouts: { ...GOLDEN_OPTIONS.timeouts, ...o.timeouts },
      }
      const feature = file.slice(0, -'.json'.length)
      const files = tlsFiles(input.tlsFiles?.certificates ?? {}, input.tlsFiles?.secrets ?? {})
      return { feature, view: input.view, options, files, cfgPath: join(GOLDEN_DIR, `${feature}.cfg`) }
    })
}
