import { TerminalError } from '../../../common/errors.js'

/**
 * The load balancer view cannot be turned into a safe HAProxy configuration:
 * a value is malformed (it would change the meaning of the file) or a feature
 * is outside what this renderer supports. Retrying cannot help, hence a
 * TerminalError. The message names the object and field, never echoes the
 * offending value raw (it may hold control characters).
 */
export class RenderError extends TerminalError {
  constructor(message: string) {
    super(message)
    this.name = 'RenderError'
  }
}
