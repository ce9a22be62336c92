import type { AgentError } from '../amphora-api/agent-api.js'

/**
 * A failure the agent answers with an HTTP status and the contract's
 * AgentError body `{message, details?}` (routes/error-handler.ts maps it).
 */
export class AgentHttpError extends Error {
  constructor(readonly status: number, message: string, readonly details?: string) {
    super(message)
    this.name = 'AgentHttpError'
  }

  /** The answer body. */
  toBody(): AgentError {
    return this.details === undefined ? { message: this.message } : { message: this.message, details: this.details }
  }
}

/** 404 for an amphora the agent does not know. */
export const amphoraNotFound = (amphoraId: string): AgentHttpError =>
  new AgentHttpError(404, `amphora ${amphoraId} is not registered on this agent`)

/** 404 for a load balancer without a config on the amphora. */
export const loadBalancerNotFound = (lbId: string): AgentHttpError =>
  new AgentHttpError(404, `load balancer ${lbId} has no configuration on this amphora`)
