/**
 * An inclusive range of integers. The domain model (src/model/*-fields.ts)
 * gives one per bounded API attribute; the API schema, the HAProxy renderer
 * and the amphora agent all check values against the same object.
 */
export interface IntegerRange {
  /** Smallest accepted value. */
  readonly min: number
  /** Largest accepted value. */
  readonly max: number
}

/** True when `value` is an integer within `range` (bounds included). */
export function isWithin(range: IntegerRange, value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= range.min && value <= range.max
}
