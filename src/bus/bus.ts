/**
 * The bus carries job ids from the API to workers, never whole objects
 * (DESIGN.md §4). The job row is already committed when `publish` is called;
 * a lost message only delays the job until a worker's poll finds it.
 */
export interface Bus {
  /** Announces a committed job. Never throws: delivery is best effort. */
  publish(jobId: string): void
  /** Registers the consumer; returns a function that unregisters it. */
  subscribe(onJob: (jobId: string) => void): () => void
}
