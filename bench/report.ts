import type { LoadResult } from './load.js'

/** A line of the report: a measured operation (with its baseline, if any) or a derived figure. */
export type Row = { readonly result: LoadResult; readonly baseline?: LoadResult } | { readonly derived: string }

export interface RunInfo {
  readonly command: string
  readonly target: string
  readonly machine: string
  readonly concurrency: number
  readonly durationMs: number
}

const pad = (s: string, n: number, right = false) => (right ? s.padStart(n) : s.padEnd(n))
const num = (n: number, digits = 0) => n.toFixed(digits)

/**
 * Prints the run as a Markdown table (ready for docs/benchmarks.md): per
 * operation requests, errors, rate, p50/p99 latency, the baseline's rate and
 * the ratio ours/baseline (1.00 = no overhead over fastify + JSON).
 */
export function printTable(rows: readonly Row[], info: RunInfo): void {
  const out: string[] = []
  out.push(`command: ${info.command}`)
  out.push(`target: ${info.target}`)
  out.push(`machine: ${info.machine}; concurrency ${info.concurrency}; ${info.durationMs / 1000} s per phase`)
  out.push('')
  const head = ['operation', 'requests', 'errors', 'req/s', 'p50 ms', 'p99 ms', 'baseline req/s', 'ours/baseline']
  const widths = [46, 8, 6, 8, 7, 7, 14, 13]
  out.push(`| ${head.map((h, i) => pad(h, widths[i], i > 0)).join(' | ')} |`)
  out.push(`|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`)
  const notes: string[] = []
  for (const row of rows) {
    if ('derived' in row) { notes.push(row.derived); continue }
    const r = row.result
    const b = row.baseline
    const cells = [r.name, String(r.requests), String(r.errors), num(r.perSecond), num(r.p50Ms, 2), num(r.p99Ms, 2),
      b ? num(b.perSecond) : '—', b ? num(r.perSecond / b.perSecond, 2) : '—']
    out.push(`| ${cells.map((c, i) => pad(c, widths[i], i > 0)).join(' | ')} |`)
    if (r.firstError) notes.push(`${r.name}: first error: ${r.firstError}`)
    if (b?.firstError) notes.push(`${b.name}: first error: ${b.firstError}`)
  }
  out.push('')
  for (const n of notes) out.push(`- ${n}`)
  process.stdout.write(out.join('\n') + '\n')
}
