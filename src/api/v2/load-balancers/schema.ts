import { Type, type Static, type TSchema } from '@sinclair/typebox'
import { listenerSingleCreateSchema } from '../listeners/schema.js'
import { poolSingleCreateSchema } from '../pools/schema.js'

const nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()])
const uuid = () => nullable(Type.String({ format: 'uuid' }))
const ip = () => nullable(Type.Union([Type.String({ format: 'ipv4' }), Type.String({ format: 'ipv6' })]))
const text = (maxLength: number) => nullable(Type.String({ maxLength }))
const tags = () => nullable(Type.Array(Type.String({ maxLength: 255 })))

/** Octavia's AdditionalVipsType. */
const additionalVipSchema = Type.Object({
  subnet_id: Type.String({ format: 'uuid' }),
  ip_address: Type.Optional(ip()),
  port_id: Type.Optional(uuid()),
}, { additionalProperties: false })

/**
 * Octavia's LoadBalancerPOST, including the single-call ("fully populated")
 * children: `listeners` (with default_pool and l7policies) and `pools`.
 */
export const loadBalancerPostSchema = Type.Object({
  name: Type.Optional(text(255)),
  description: Type.Optional(text(255)),
  admin_state_up: Type.Optional(nullable(Type.Boolean())),
  vip_address: Type.Optional(ip()),
  vip_port_id: Type.Optional(uuid()),
  vip_subnet_id: Type.Optional(uuid()),
  vip_network_id: Type.Optional(uuid()),
  vip_qos_policy_id: Type.Optional(uuid()),
  vip_sg_ids: Type.Optional(nullable(Type.Array(Type.String({ format: 'uuid' })))),
  additional_vips: Type.Optional(nullable(Type.Array(additionalVipSchema))),
  project_id: Type.Optional(text(36)),
  tenant_id: Type.Optional(text(36)),
  listeners: Type.Optional(nullable(Type.Array(listenerSingleCreateSchema))),
  pools: Type.Optional(nullable(Type.Array(poolSingleCreateSchema))),
  provider: Type.Optional(text(64)),
  tags: Type.Optional(tags()),
  flavor_id: Type.Optional(uuid()),
  availability_zone: Type.Optional(text(255)),
}, { additionalProperties: false })
export type LoadBalancerCreate = Static<typeof loadBalancerPostSchema>

/** Octavia's LoadBalancerPUT. */
export const loadBalancerPutSchema = Type.Object({
  name: Type.Optional(text(255)),
  description: Type.Optional(text(255)),
  vip_qos_policy_id: Type.Optional(uuid()),
  admin_state_up: Type.Optional(nullable(Type.Boolean())),
  vip_sg_ids: Type.Optional(nullable(Type.Array(Type.String({ format: 'uuid' })))),
  tags: Type.Optional(tags()),
}, { additionalProperties: false })
export type LoadBalancerUpdate = Static<typeof loadBalancerPutSchema>

export const loadBalancerCreateBody = Type.Object({ loadbalancer: loadBalancerPostSchema }, { additionalProperties: false })
export const loadBalancerUpdateBody = Type.Object({ loadbalancer: loadBalancerPutSchema }, { additionalProperties: false })
export type LoadBalancerCreateBody = Static<typeof loadBalancerCreateBody>
export type LoadBalancerUpdateBody = Static<typeof loadBalancerUpdateBody>
