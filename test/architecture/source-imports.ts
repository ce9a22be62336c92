import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve, sep } from 'node:path'
import ts from 'typescript'

/** One relative import of a source file: `from` and `to` are paths below the source root. */
export interface SourceImport {
  readonly from: string
  readonly to: string
  /** The specifier as written. */
  readonly specifier: string
}

/** Every `.ts` file below `dir` (tests included when `withTests`), as paths relative to `dir`. */
export function sourceFiles(dir: string, withTests = false): string[] {
  const out: string[] = []
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name)
      if (e.isDirectory()) walk(p)
      else if (p.endsWith('.ts') && (withTests || !p.endsWith('.test.ts'))) out.push(relative(dir, p))
    }
  }
  walk(dir)
  return out.sort()
}

/**
 * The relative imports of the files below `root` (static and dynamic imports,
 * `export … from`, type-only ones too), read by TypeScript's own pre-processor
 * so that comments and strings never count. Package imports are left out.
 */
export function relativeImports(root: string, files: readonly string[]): SourceImport[] {
  const out: SourceImport[] = []
  for (const file of files) {
    const info = ts.preProcessFile(readFileSync(join(root, file), 'utf8'), true, true)
    for (const ref of info.importedFiles) {
      if (!ref.fileName.startsWith('.')) continue
      const target = relative(root, resolve(root, dirname(file), ref.fileName)).replace(/\.js$/, '.ts')
      out.push({ from: file, to: target, specifier: ref.fileName })
    }
  }
  return out
}

/** The top-level folder of a path below the source root ('' for a file at the root). */
export const topFolder = (path: string): string => (path.includes(sep) ? path.slice(0, path.indexOf(sep)) : '')
