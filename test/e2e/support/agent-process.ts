/**
 * `octavia-ts agent` as a real child process (from the sources, through
 * tsx), optionally as another user (`runuser -u <user>`), for tests of the
 * unprivileged mode and of real process restarts.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { connect } from 'node:net'
import { fileURLToPath } from 'node:url'

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const ENTRY = `import(${JSON.stringify(`${REPO_ROOT}src/cmd/agent.ts`)}).then((m) => m.runAgent(process.argv[1]))`

export interface AgentProcess {
  readonly pid: number
  logs(): string
  /** SIGTERM, then SIGKILL after `ms`; resolves once the process exited. */
  stop(ms?: number): Promise<void>
}

/** Starts the agent on `configFile` and waits until `port` accepts connections. */
export async function startAgentProcess(configFile: string, port: number, user: string | null): Promise<AgentProcess> {
  const node = [process.execPath, '--import', 'tsx', '--input-type=module', '-e', ENTRY, configFile]
  const [cmd, ...args] = user === null ? node : ['runuser', '-u', user, '--', ...node]
  const child: ChildProcess = spawn(cmd ?? 'node', args, { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
  let logs = ''
  child.stdout?.on('data', (d: Buffer) => { logs += d.toString() })
  child.stderr?.on('data', (d: Buffer) => { logs += d.toString() })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const deadline = Date.now() + 20_000
  while (!(await canConnect(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL')
      throw new Error(`agent did not start: ${logs}`)
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  return {
    pid: child.pid ?? -1,
    logs: () => logs,
    async stop(ms = 5000) {
      if (child.exitCode !== null || child.signalCode !== null) return
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), ms)
      await exited
      clearTimeout(timer)
    },
  }
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port }, () => { s.destroy(); resolve(true) })
    s.on('error', () => resolve(false))
  })
}
