import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Type } from '@sinclair/typebox'
import { coerceLikeWsme } from './wsme-coercion.js'

const schema = Type.Object({
  listener: Type.Object({
    name: Type.String(),
    connection_limit: Type.Union([Type.Integer(), Type.Null()]),
    admin_state_up: Type.Boolean(),
    tags: Type.Array(Type.String()),
    nested: Type.Object({ weight: Type.Integer() }),
  }),
})

test('when integer and boolean attributes come as strings, then they are converted as WSME does', () => {
  const out = coerceLikeWsme(schema, { listener: { connection_limit: '1000', admin_state_up: 'yes', nested: { weight: '3' } } })
  assert.deepEqual(out, { listener: { connection_limit: 1000, admin_state_up: true, nested: { weight: 3 } } })
})

test('when values are null, strings for string fields, or not numeric, then they are left for validation', () => {
  const body = { listener: { name: '123', connection_limit: null, admin_state_up: 'maybe', tags: ['1'] } }
  assert.deepEqual(coerceLikeWsme(schema, body), body)
  assert.deepEqual(coerceLikeWsme(schema, { listener: { connection_limit: '12abc' } }), { listener: { connection_limit: '12abc' } })
})
