import type { Task } from './task.js'

/**
 * A named, ordered composition of tasks and nested flows (STYLE.md R5).
 * Runs are linear: the runner flattens nested flows depth-first. A flow must
 * be a pure function of its operation and payload: a job resumed in another
 * process rebuilds it and continues at the recorded step index.
 */
export interface Flow<P = any> {
  readonly name: string
  readonly items: readonly (Task<P, any> | Flow<P>)[]
}

const isFlow = (x: Task | Flow): x is Flow => 'items' in x

/** Composes tasks and flows into a linear flow. */
export const linear = <P>(name: string, items: readonly (Task<P, any> | Flow<P>)[]): Flow<P> =>
  Object.freeze({ name, items: Object.freeze([...items]) })

/**
 * The tasks of a flow in execution order. Throws when two tasks share a name
 * (results are recorded by task name).
 */
export function flattenFlow<P>(flow: Flow<P>): readonly Task<P, unknown>[] {
  const out: Task<P, unknown>[] = []
  const walk = (f: Flow<P>): void => {
    for (const item of f.items) {
      if (isFlow(item)) walk(item)
      else out.push(item)
    }
  }
  walk(flow)
  const names = new Set<string>()
  for (const t of out) {
    if (names.has(t.name)) throw new Error(`flow '${flow.name}' has two tasks named '${t.name}'`)
    names.add(t.name)
  }
  return out
}

/** The same flow with every task transformed (e.g. wrapped with a delay). */
export function mapTasks<P>(flow: Flow<P>, fn: (t: Task<P, any>) => Task<P, any>): Flow<P> {
  return linear(flow.name, flow.items.map(i => (isFlow(i) ? mapTasks(i, fn) : fn(i))))
}
