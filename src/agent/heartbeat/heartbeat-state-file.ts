/**
 * The heartbeat sender's memory across agent restarts: per amphora, the seq
 * and the counters of the last message sent, so that a restarted agent
 * neither re-sends totals as deltas nor reuses a seq. One JSON file for the
 * whole agent, replaced atomically once per round: with many amphorae one
 * write per round is much cheaper than one file per amphora, and amphorae
 * that are gone drop out at the next write.
 */
import { readFile, rename, writeFile } from 'node:fs/promises'
import type { AmphoraHeartbeatState, ListenerCounters } from './heartbeat-message.js'

const FORMAT = 1

const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

function parseCounters(v: unknown): ListenerCounters | null {
  if (!isObject(v) || !isCount(v.rx) || !isCount(v.tx) || !isCount(v.totconns) || !isCount(v.ereq)) return null
  return { rx: v.rx, tx: v.tx, totconns: v.totconns, ereq: v.ereq }
}

function parseState(v: unknown): AmphoraHeartbeatState | null {
  if (!isObject(v) || !isCount(v.seq) || !isObject(v.listeners)) return null
  const listeners: Record<string, ListenerCounters> = {}
  for (const [id, c] of Object.entries(v.listeners)) {
    const parsed = parseCounters(c)
    if (parsed !== null) listeners[id] = parsed
  }
  return { seq: v.seq, listeners }
}

/**
 * The saved states by amphora id. A missing file is an empty map; an
 * unreadable or malformed one throws (the caller logs and starts empty);
 * malformed entries are skipped.
 */
export async function loadHeartbeatState(file: string): Promise<Map<string, AmphoraHeartbeatState>> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return new Map()
    throw err
  }
  const doc = JSON.parse(text) as unknown
  if (!isObject(doc) || doc.format !== FORMAT || !isObject(doc.amphorae)) throw new Error(`${file} is not a heartbeat state file`)
  const out = new Map<string, AmphoraHeartbeatState>()
  for (const [id, s] of Object.entries(doc.amphorae)) {
    const parsed = parseState(s)
    if (parsed !== null) out.set(id, parsed)
  }
  return out
}

/** Writes the states (mode 0600) through a temporary file and a rename, so a crash leaves the old or the new file. */
export async function saveHeartbeatState(file: string, states: ReadonlyMap<string, AmphoraHeartbeatState>): Promise<void> {
  const tmp = `${file}.tmp`
  await writeFile(tmp, JSON.stringify({ format: FORMAT, amphorae: Object.fromEntries(states) }), { mode: 0o600 })
  await rename(tmp, file)
}
