import { Type, type Static } from '@sinclair/typebox'

/** Octavia's QuotaPUT: every limit optional, -1 (unlimited) … 2000000000, null = the configured default. */
const limit = () => Type.Optional(Type.Union([Type.Integer({ minimum: -1, maximum: 2000000000 }), Type.Null()]))

export const quotaPutSchema = Type.Object({
  loadbalancer: limit(),
  load_balancer: limit(), // deprecated spelling
  listener: limit(),
  member: limit(),
  pool: limit(),
  healthmonitor: limit(),
  health_monitor: limit(), // deprecated spelling
  l7policy: limit(),
  l7rule: limit(),
}, { additionalProperties: false })
export type QuotaPut = Static<typeof quotaPutSchema>

export const quotaPutBody = Type.Object({ quota: quotaPutSchema }, { additionalProperties: false })
export type QuotaPutBody = Static<typeof quotaPutBody>
