import type { ServerStateChange } from '../../drivers/amphora/agent-api.js'
import { AgentHttpError } from '../agent-http-error.js'
import { commandVerdict, InvalidServerChange, serverCommands } from '../haproxy/server-commands.js'
import type { LoadBalancerHaproxy } from '../lb-haproxy.js'

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
    const answer = await lb.runtimeCommand(command)
    const verdict = commandVerdict(answer)
    if (verdict === 'not-found') throw new AgentHttpError(404, answer.trim(), command)
    if (verdict === 'refused') throw new AgentHttpError(400, 'HAProxy refused the change', `${command}: ${answer.trim()}`)
  }
  return commands.length
}
