import { Type, type TSchema } from '@sinclair/typebox'

/**
 * Small TypeBox builders shared by the listener and pool schemas. Every
 * optional attribute also accepts JSON null, as WSME does (null means "unset"
 * on create and "clear / back to default" on update).
 */
export const nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()])

/** An optional, nullable attribute. */
export const opt = <T extends TSchema>(t: T) => Type.Optional(nullable(t))

/** A string enum that fails with ajv's `enum` keyword (WSME's "Value should be one of: ..."). */
export const enumOf = <T extends string>(values: readonly T[]) => Type.Unsafe<T>({ type: 'string', enum: [...values] })

export const uuid = () => Type.String({ format: 'uuid' })
export const str = (maxLength: number) => Type.String({ maxLength })
export const ipAddress = () => Type.Union([Type.String({ format: 'ipv4' }), Type.String({ format: 'ipv6' })])
export const tags = () => Type.Array(Type.String({ maxLength: 255 }))
