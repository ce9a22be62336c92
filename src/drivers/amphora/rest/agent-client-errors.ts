import { LbaasError } from '../../../common/errors.js'

/** The agent answered with an error status; `message`/`details` are the agent's. */
export class AgentRequestError extends LbaasError {
  constructor(readonly agentStatus: number, message: string, readonly details: string | undefined, readonly url: string) {
    super('amphora_agent_error', agentStatus, message)
    this.name = 'AgentRequestError'
  }
}

/** The agent could not be reached after every retry (or the TLS handshake was refused). */
export class AgentUnreachableError extends LbaasError {
  constructor(message: string, opts?: ErrorOptions) {
    super('amphora_agent_unreachable', 503, message, opts)
    this.name = 'AgentUnreachableError'
  }
}
