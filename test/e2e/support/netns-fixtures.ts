import { spawn, execFileSync, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { randomBytes, randomUUID } from 'node:crypto'
import { reserveNetworkNumber } from './network-number.js'

/** Whether this process may create namespaces and links (netns tests skip otherwise). */
export const isRoot = (): boolean => process.geteuid?.() === 0

/**
 * A throw-away network for one test run: 10.213.<n>.0/24 and fd00:213:<n>::/64 on a bridge with a random
 * name, n reserved for this process (reserveNetworkNumber: no other test file uses it meanwhile); `release`
 * gives n back once the bridge is gone.
 */
export function scratchNetwork() {
  const reservation = reserveNetworkNumber()
  const octet = reservation.n
  const key = `dpt${randomBytes(3).toString('hex')}`
  return {
    release: reservation.release,
    key, bridge: `octbr-${key}`, cidr: `10.213.${octet}.0/24`, gateway: `10.213.${octet}.1`,
    at: (host: number) => `10.213.${octet}.${host}`,
    cidr6: `fd00:213:${octet}::/64`, at6: (host: number) => `fd00:213:${octet}::${host}`,
  }
}

/** Amphora ids used by a test, so that clean-up finds everything even after a failure. */
export function amphoraIds(n: number): string[] {
  return Array.from({ length: n }, () => randomUUID())
}

/** `ip …` output, or null when it fails (clean-up and checks). */
export function ipQuiet(args: readonly string[]): string | null {
  try { return execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }) } catch { return null }
}

/**
 * Removes whatever a test may have left: the namespaces of `ids`, veths whose
 * alias names one of them, the bridges given. Never throws.
 */
export function cleanUp(ids: readonly string[], bridges: readonly string[]): void {
  for (const id of ids) ipQuiet(['netns', 'del', `amp-${id}`])
  const links = JSON.parse(ipQuiet(['-j', 'link', 'show']) || '[]') as { ifname: string; ifalias?: string }[]
  for (const l of links) if (ids.some(id => l.ifalias?.includes(`amphora=${id}`))) ipQuiet(['link', 'del', 'dev', l.ifname])
  for (const b of bridges) ipQuiet(['link', 'del', 'dev', b])
}

/** What of `ids` and `bridges` still exists (`ip netns list`, `ip link`): empty when clean. */
export function leftovers(ids: readonly string[], bridges: readonly string[]): string[] {
  const namespaces = (ipQuiet(['netns', 'list']) ?? '').split('\n').map(l => l.split(' ')[0]).filter(Boolean)
  const links = JSON.parse(ipQuiet(['-j', 'link', 'show']) || '[]') as { ifname: string; ifalias?: string }[]
  return [
    ...namespaces.filter(n => ids.some(id => n === `amp-${id}`)),
    ...links.filter(l => bridges.includes(l.ifname) || ids.some(id => l.ifalias?.includes(`amphora=${id}`))).map(l => `link ${l.ifname}`),
  ]
}

/** Node code run inside a namespace: a TCP server on HOST:PORT answering `<name>` to anyone; prints `ready`. */
const SERVER = `const [h,p,n]=process.argv.slice(1);require('net').createServer(s=>s.end(n)).listen(+p,h,()=>console.log('ready'))`
/** Node code: connects to HOST:PORT, prints what comes back (or `error <code>`). */
const CLIENT = `const [h,p]=process.argv.slice(1);const s=require('net').connect(+p,h);let d='';s.setTimeout(3000,()=>{console.log('error timeout');process.exit()});`
  + `s.on('data',c=>d+=c);s.on('end',()=>console.log(d));s.on('error',e=>console.log('error '+e.code))`

/** Starts a reply server inside namespace `ns` (or the host when null); resolves once it listens. Kill it with `.kill()`. */
export async function startServer(ns: string | null, host: string, port: number, name: string): Promise<ChildProcess> {
  const argv = ['-e', SERVER, host, String(port), name]
  const child = ns ? spawn('ip', ['netns', 'exec', ns, process.execPath, ...argv]) : spawn(process.execPath, argv)
  let err = ''
  child.stderr!.on('data', c => { err += c })
  const [line] = await Promise.race([
    once(child.stdout!, 'data'),
    once(child, 'exit').then(() => { throw new Error(`server in ${ns ?? 'host'} on ${host}:${port} exited: ${err}`) }),
  ])
  if (!String(line).includes('ready')) throw new Error(`server said ${line}`)
  return child
}

/** Connects from inside namespace `ns` to HOST:PORT and returns the answer (`error …` on failure). */
export async function askFrom(ns: string, host: string, port: number): Promise<string> {
  const child = spawn('ip', ['netns', 'exec', ns, process.execPath, '-e', CLIENT, host, String(port)])
  let out = ''
  child.stdout.on('data', c => { out += c })
  await once(child, 'exit')
  return out.trim()
}
