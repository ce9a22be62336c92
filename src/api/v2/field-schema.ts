import { Type } from '@sinclair/typebox'
import type { IntegerRange } from '../../common/integer-range.js'

/**
 * The TypeBox integer of a bounded attribute, from its range in the domain
 * model (src/model/*-fields.ts). ajv's `minimum`/`maximum` errors become
 * WSME's `Value should be greater/lower or equal to <n>` (validation.ts).
 */
export const integerField = (range: IntegerRange) => Type.Integer({ minimum: range.min, maximum: range.max })
