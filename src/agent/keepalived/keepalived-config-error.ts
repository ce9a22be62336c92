/**
 * A VRRP spec or render input that cannot become a safe keepalived.conf: a
 * value is malformed (it could change the meaning of the file) or out of
 * range. The agent answers 400 with it. The message names the field, never
 * echoes a rejected value raw (it may hold control characters).
 */
export class KeepalivedConfigError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'KeepalivedConfigError'
  }
}
