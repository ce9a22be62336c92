import { test } from 'node:test'
import assert from 'node:assert/strict'
import { freshDatabase, testDialects } from '../../../../test/support/databases.js'
import { stableId } from '../../../common/net/stable-id.js'
import { localServiceFor } from '../test-support.js'

const PUBLIC_SUBNET = stableId('subnet', 'public-subnet')
const PUBLIC_NET = stableId('network', 'public')
const UNKNOWN = '00000000-0000-4000-8000-000000000000'
const TWO_NETWORKS = {
  'network:mixed-v6': { network: 'mixed', cidr: 'fd00:1::/64' },
  'network:mixed-tiny': { network: 'mixed', cidr: '10.1.0.0/30' }, // one free address: .2
  'network:mixed-v4': { network: 'mixed', cidr: '10.2.0.0/24' },
  'network:other': { cidr: '10.3.0.0/24' },
}

for (const dialect of testDialects) {
  test(`${dialect}: when the VIP names unknown or mismatched objects, then Octavia's 400s come back`, async () => {
    const { database, drop } = await freshDatabase(dialect)
    try {
      const net = localServiceFor()
      const db = database.db
      const base = { loadBalancerId: 'lb1', projectId: 'p' }
      const cases: [Record<string, unknown>, string][] = [
        [{}, 'Validation failure: VIP must contain one of: vip_port_id, vip_network_id, vip_subnet_id.'],
        [{ subnetId: UNKNOWN }, `Subnet ${UNKNOWN} not found.`],
        [{ networkId: UNKNOWN }, `Network ${UNKNOWN} not found.`],
        [{ portId: UNKNOWN }, `Port ${UNKNOWN} not found.`],
        [{ networkId: PUBLIC_NET, subnetId: UNKNOWN }, `Subnet ${UNKNOWN} not found.`],
        [{ networkId: PUBLIC_NET, ipAddress: '10.0.0.1' }, 'Validation failure: Supplied network does not contain a subnet for VIP address specified.'],
        [{ subnetId: PUBLIC_SUBNET, additionalVips: [{ subnetId: PUBLIC_SUBNET }] }, 'Validation failure: Duplicate VIP subnet(s) specified. Only one IP can be bound per subnet.'],
        [{ subnetId: PUBLIC_SUBNET, additionalVips: [{ subnetId: UNKNOWN }] }, `Validation failure: Subnet ${UNKNOWN} not found`],
      ]
      for (const [extra, message] of cases) {
        await assert.rejects(net.allocateVip(db, { ...base, ...extra }), { status: 400, message }, JSON.stringify(extra))
      }
      assert.equal((await net.listPorts(db)).length, 0)
    } finally {
      await drop()
    }
  })

  test(`${dialect}: when only a network is given, then the subnet holding the address, else the first roomy IPv4 subnet is used`, async () => {
    const { database, drop } = await freshDatabase(dialect)
    try {
      const net = localServiceFor(TWO_NETWORKS)
      const mixed = stableId('network', 'mixed')
      const req = (lb: string, more: Record<string, unknown> = {}) => ({ loadBalancerId: lb, projectId: 'p', networkId: mixed, ...more })
      const tiny = stableId('subnet', 'mixed-tiny-subnet')
      // the tiny subnet has one free address, fewer than the 2 a SINGLE load balancer needs
      const first = await net.allocateVip(database.db, req('lb1'))
      assert.equal(first.subnetId, stableId('subnet', 'mixed-v4-subnet'))
      assert.equal(first.ipAddress, '10.2.0.2')
      const byAddress = await net.allocateVip(database.db, req('lb2', { ipAddress: 'fd00:1:0:0::9' }))
      assert.deepEqual([byAddress.subnetId, byAddress.ipAddress], [stableId('subnet', 'mixed-v6-subnet'), 'fd00:1::9'])
      const explicit = await net.allocateVip(database.db, req('lb3', { subnetId: tiny }))
      assert.equal(explicit.ipAddress, '10.1.0.2')
      await assert.rejects(net.allocateVip(database.db, req('lb4', { subnetId: stableId('subnet', 'other-subnet') })),
        { status: 400, message: `Subnet ${stableId('subnet', 'other-subnet')} not found.` })
      await assert.rejects(net.allocateVip(database.db, req('lb5', { additionalVips: [{ subnetId: stableId('subnet', 'other-subnet') }] })),
        { status: 400, message: 'Validation failure: All VIP subnets must belong to the same network.' })
    } finally {
      await drop()
    }
  })

  test(`${dialect}: when no subnet of the network has room for the topology, then 400 names it`, async () => {
    const { database, drop } = await freshDatabase(dialect)
    try {
      const net = localServiceFor({ 'network:tiny': { cidr: '10.1.0.0/29', allocation_end: '10.1.0.3' } }) // .2 .3 free
      const networkId = stableId('network', 'tiny')
      const req = { loadBalancerId: 'lb1', projectId: 'p', networkId }
      await assert.rejects(net.allocateVip(database.db, { ...req, topology: 'ACTIVE_STANDBY' }),
        { status: 400, message: 'Validation failure: Subnet(s) in the supplied network do not contain enough available IPs.' })
      assert.equal((await net.allocateVip(database.db, req)).ipAddress, '10.1.0.2')
      await assert.rejects(net.allocateVip(database.db, { ...req, loadBalancerId: 'lb2' }),
        { status: 400, message: 'Validation failure: Subnet(s) in the supplied network do not contain enough available IPs.' })
    } finally {
      await drop()
    }
  })

  test(`${dialect}: when the configuration restricts VIP networks or objects, then requests outside are refused`, async () => {
    const { database, drop } = await freshDatabase(dialect)
    try {
      const notAllowed = 'Validation failure: Supplied VIP network_id is not allowed by the configuration of this deployment.'
      const req = { loadBalancerId: 'lb1', projectId: 'p', subnetId: PUBLIC_SUBNET }
      const valid = localServiceFor({ networking: { valid_vip_networks: UNKNOWN } })
      await assert.rejects(valid.allocateVip(database.db, req), { status: 400, message: notAllowed })
      // validateVip alone does not look at the lists (Octavia checks them later, with the AZ)
      assert.equal((await valid.validateVip(database.db, req)).networkId, PUBLIC_NET)
      const byAz = await valid.allocateVip(database.db, { ...req, validVipNetworks: [PUBLIC_NET.toUpperCase()] })
      assert.equal(byAz.networkId, PUBLIC_NET)
      const denied = localServiceFor({ networking: { denylist_vip_networks: 'public' } })
      await assert.rejects(denied.allocateVip(database.db, { ...req, loadBalancerId: 'lb2' }), { status: 400, message: notAllowed })
      const noSubnets = localServiceFor({ networking: { allow_vip_subnet_id: 'false' } })
      await assert.rejects(noSubnets.allocateVip(database.db, { ...req, loadBalancerId: 'lb3' }),
        { status: 400, message: "Validation failure: use of vip_subnet_id is disallowed by this deployment's configuration." })
      await assert.rejects(noSubnets.allocateVip(database.db, { loadBalancerId: 'lb3', projectId: 'p' }),
        { status: 400, message: 'Validation failure: VIP must contain one of: vip_port_id, vip_network_id.' })
    } finally {
      await drop()
    }
  })

  test(`${dialect}: when a port is given with a subnet or address, then they must match the port`, async () => {
    const { database, drop } = await freshDatabase(dialect)
    try {
      const net = localServiceFor(TWO_NETWORKS)
      const port = await net.allocatePort(database.db, { subnetId: stableId('subnet', 'mixed-v4-subnet') })
      const req = { loadBalancerId: 'lb1', projectId: 'p', portId: port.id }
      await assert.rejects(net.allocateVip(database.db, { ...req, subnetId: stableId('subnet', 'mixed-v6-subnet') }),
        { status: 400, message: 'Validation failure: No VIP address found on the specified VIP port within the specified subnet.' })
      await assert.rejects(net.allocateVip(database.db, { ...req, ipAddress: '10.2.0.99' }),
        { status: 400, message: 'Validation failure: Specified VIP address not found on the specified VIP port.' })
      const vip = await net.allocateVip(database.db, { ...req, ipAddress: port.ipAddress, subnetId: port.subnetId })
      assert.equal(vip.portId, port.id)
    } finally {
      await drop()
    }
  })
}
