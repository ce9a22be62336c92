/**
 * The bus carries job ids from the API to workers, never whole objects
 * (DESIGN.md §4). The job row is already committed when `publish` is called;
 * a lost message only delays the job until a worker's poll finds it.
 */
export interface Bus {
  /** Announces a committed job. Never throws and never waits: delivery is best effort. */
  publish(jobId: string): void
  /**
   * Registers the consumer; returns a function that unregisters it. The bus
   * considers a message handled when `onJob` resolves (RabbitMQ: acknowledged)
   * and hands it to a consumer again when it rejects or its process dies
   * first (RabbitMQ: requeued); a bus without acknowledgements ignores both.
   */
  subscribe(onJob: (jobId: string) => Promise<void>): () => void
  /** Stops delivering and releases the connection; idempotent. Unacknowledged messages go back to the broker. */
  close(): Promise<void>
}
