/**
 * Runs `fn` on every item with at most `limit` calls in flight at once
 * (workers pulling from a shared index, so no per-item timer or promise
 * piles up). Resolves when every call settled; a rejection is passed to
 * `onError`, never stops the others.
 */
export async function forEachBounded<T>(
  items: readonly T[], limit: number, fn: (item: T) => Promise<void>, onError: (item: T, err: unknown) => void,
): Promise<void> {
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++] as T
      try {
        await fn(item)
      } catch (err) {
        onError(item, err)
      }
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker))
}
