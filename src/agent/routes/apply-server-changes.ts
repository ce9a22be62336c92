import type { ServerStateChange } from '../../amphora-api/agent-api.js'
import { AgentHttpError } from '../agent-http-error.js'
import { commandVerdict, InvalidServerChange, serverCommands } from '../haproxy/server-commands.js'
import type { LoadBalancerHaproxy } from '../lb-haproxy.js'
import { setTimeout as sleep } from 'node:timers/promises'

/** How long a disabled server's sessions may run on before `del server` shuts them down. */
const DRAIN_GRACE_MS = 1000
/** How long `del server` may wait in all for the server's sessions to be gone. */
const DELETE_WAIT_MS = 3000

/**
 * Applies member changes through the runtime API, in order, and returns how
 * many commands ran. Every change is validated before the first command
 * (400); HAProxy refusing a command stops there: 404 for an unknown backend
 * or server, 400 otherwise (earlier commands stay applied). 409 when the
 * HAProxy does not run.
 */
export async function applyServerChanges(lb: LoadBalancerHaproxy, changes: readonly ServerStateChange[]): Promise<number> {
  let commands: string[]
  try {
    commands = changes.flatMap((c) => serverCommands(c))
  } catch (err) {
    if (err instanceof InvalidServerChange) throw new AgentHttpError(400, 'Invalid request', err.message)
    throw err
  }
  for (const command of commands) {
    const answer = await runCommand(lb, command)
    const verdict = commandVerdict(answer)
    if (verdict === 'not-found') throw new AgentHttpError(404, answer.trim(), command)
    if (verdict === 'refused') throw new AgentHttpError(400, 'HAProxy refused the change', `${command}: ${answer.trim()}`)
  }
  return commands.length
}

/**
 * One command. `del server` (of a server already disabled: no new sessions)
 * is retried while sessions are still attached: they may finish for
 * DRAIN_GRACE_MS, then `shutdown sessions server` cuts the rest, and HAProxy
 * releases them asynchronously.
 */
async function runCommand(lb: LoadBalancerHaproxy, command: string): Promise<string> {
  const started = Date.now()
  let shutDown = false
  for (;;) {
    const answer = await lb.runtimeCommand(command)
    const busy = command.startsWith('del server ') && /still (has|in use)|connections attached|in use/i.test(answer)
    if (!busy || Date.now() - started > DELETE_WAIT_MS) return answer
    if (!shutDown && Date.now() - started > DRAIN_GRACE_MS) {
      shutDown = true
      await lb.runtimeCommand(`shutdown sessions server ${command.slice('del server '.length)}`)
    }
    await sleep(5)
  }
}
