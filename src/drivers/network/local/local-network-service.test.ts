import { test } from 'node:test'
import assert from 'node:assert/strict'
import { freshDatabase, testDialects } from '../../../../test/support/databases.js'
import { stableId } from '../../../common/net/stable-id.js'
import { localServiceFor } from '../test-support.js'

const PUBLIC_SUBNET = stableId('subnet', 'public-subnet')
const PUBLIC_NET = stableId('network', 'public')
const SMALL = { 'network:small': { cidr: '10.9.0.0/29' } } // hosts .1 (gateway) … .6

for (const dialect of testDialects) {
  test(`${dialect}: when VIPs are allocated on a subnet, then addresses come in order and a released one is reused`, async () => {
    const { database, drop } = await freshDatabase(dialect)
    try {
      const net = localServiceFor()
      const alloc = (lb: string) => database.db.transaction().execute(tx =>
        net.allocateVip(tx, { loadBalancerId: lb, projectId: 'p1', subnetId: PUBLIC_SUBNET }))
      const [a, b, c] = [await alloc('lb1'), await alloc('lb2'), await alloc('lb3')]
      assert.deepEqual([a.ipAddress, b.ipAddress, c.ipAddress], ['127.226.0.2', '127.226.0.3', '127.226.0.4'])
      assert.equal(a.subnetId, PUBLIC_SUBNET)
      assert.equal(a.networkId, PUBLIC_NET)
      assert.equal(a.octaviaOwned, true)
      assert.deepEqual(a.additionalVips, [])
      const port = await net.getPort(database.db, a.portId)
      assert.deepEqual({ ...port, createdAt: undefined }, {
        id: a.portId, name: 'octavia-lb-lb1', networkId: PUBLIC_NET, subnetId: PUBLIC_SUBNET, ipAddress: '127.226.0.2',
        deviceId: 'lb-lb1', deviceOwner: 'Octavia', projectId: 'p1', createdAt: undefined,
      })
      await database.db.transaction().execute(tx => net.releaseVip(tx, b.portId))
      await database.db.transaction().execute(tx => net.releaseVip(tx, b.portId)) // idempotent
      assert.equal(await net.getPort(database.db, b.portId), null)
      assert.equal((await alloc('lb4')).ipAddress, '127.226.0.3')
    } finally {
      await drop()
    }
  })

  test(`${dialect}: when a subnet runs out, then reserved ips and the gateway were skipped and the next request gets 400`, async () => {
    const { database, drop } = await freshDatabase(dialect)
    try {
      const net = localServiceFor({ ...SMALL, networking: { reserved_ips: '10.9.0.3, 169.254.169.254' } })
      const subnetId = stableId('subnet', 'small-subnet')
      const got: string[] = []
      for (let i = 0; i < 4; i++) {
        got.push((await net.allocateVip(database.db, { loadBalancerId: `lb${i}`, projectId: 'p', subnetId })).ipAddress)
      }
      assert.deepEqual(got, ['10.9.0.2', '10.9.0.4', '10.9.0.5', '10.9.0.6'])
      await assert.rejects(net.allocateVip(database.db, { loadBalancerId: 'lbx', projectId: 'p', subnetId }),
        { status: 400, message: `Validation failure: No more IP addresses available on subnet ${subnetId}.` })
      await assert.rejects(net.allocatePort(database.db, { networkId: stableId('network', 'small') }),
        { status: 400, message: `Validation failure: No more IP addresses available on network ${stableId('network', 'small')}.` })
    } finally {
      await drop()
    }
  })

  test(`${dialect}: when a fixed address is asked for, then it is given once, 409 after, 400 outside the subnet`, async () => {
    const { database, drop } = await freshDatabase(dialect)
    try {
      const net = localServiceFor()
      const req = (lb: string, ipAddress: string) => ({ loadBalancerId: lb, projectId: 'p', subnetId: PUBLIC_SUBNET, ipAddress })
      assert.equal((await net.allocateVip(database.db, req('lb1', '127.226.7.7'))).ipAddress, '127.226.7.7')
      await assert.rejects(net.allocateVip(database.db, req('lb2', '127.226.7.7')), {
        status: 409,
        message: `The VIP IP address is already in use: IP address 127.226.7.7 already allocated in subnet ${PUBLIC_SUBNET}`,
      })
      for (const ip of ['10.0.0.1', '127.226.0.1', '127.226.0.0', '127.226.255.255', 'fd00::1', 'bogus']) {
        await assert.rejects(net.allocateVip(database.db, req('lb3', ip)),
          { status: 400, message: `Validation failure: IP address ${ip} is not a valid IP for the specified subnet.` })
      }
      // automatic allocation steps over the address taken explicitly
      await net.allocateVip(database.db, req('lb4', '127.226.0.2'))
      assert.equal((await net.allocateVip(database.db, { loadBalancerId: 'lb5', projectId: 'p', subnetId: PUBLIC_SUBNET })).ipAddress, '127.226.0.3')
    } finally {
      await drop()
    }
  })

  test(`${dialect}: when many transactions allocate at once, then no address is handed out twice`, async () => {
    const { database, drop } = await freshDatabase(dialect)
    try {
      const net = localServiceFor()
      const one = (i: number) => database.db.transaction().execute(async tx => {
        const vip = await net.allocateVip(tx, { loadBalancerId: `lb${i}`, projectId: 'p', subnetId: PUBLIC_SUBNET })
        await new Promise(r => setTimeout(r, 15)) // hold the row while the others try the same address
        return vip.ipAddress
      })
      const ips = await Promise.all(Array.from({ length: 24 }, (_, i) => one(i)))
      assert.equal(new Set(ips).size, ips.length)
      const rows = await net.listPorts(database.db, { subnetIds: [PUBLIC_SUBNET] })
      assert.equal(rows.length, 24)
      assert.deepEqual(new Set(rows.map(r => r.ipAddress)), new Set(ips))
    } finally {
      await drop()
    }
  })

  test(`${dialect}: when a free port is used as VIP, then it is bound, refused twice, and only unbound on release`, async () => {
    const { database, drop } = await freshDatabase(dialect)
    try {
      const net = localServiceFor()
      const port = await net.allocatePort(database.db, { networkId: PUBLIC_NET, name: 'mine', projectId: 'p' })
      assert.equal(port.ipAddress, '127.226.0.2')
      const vip = await net.allocateVip(database.db, { loadBalancerId: 'lb1', projectId: 'p', portId: port.id })
      assert.deepEqual(vip, {
        ipAddress: '127.226.0.2', subnetId: PUBLIC_SUBNET, networkId: PUBLIC_NET, portId: port.id, octaviaOwned: false, additionalVips: [],
      })
      assert.equal((await net.getPort(database.db, port.id))?.deviceId, 'lb-lb1')
      await assert.rejects(net.allocateVip(database.db, { loadBalancerId: 'lb2', projectId: 'p', portId: port.id }),
        { status: 400, message: `Validation failure: Port ${port.id} is already used by device lb-lb1 ` })
      await net.releaseVip(database.db, port.id)
      const after = await net.getPort(database.db, port.id)
      assert.equal(after?.deviceId, null)
      assert.equal(after?.name, 'mine')
      await net.releasePort(database.db, port.id)
      await net.releasePort(database.db, port.id)
      assert.equal(await net.getPort(database.db, port.id), null)
    } finally {
      await drop()
    }
  })

  test(`${dialect}: when additional VIPs are asked for, then each gets a port on its subnet, all released with the VIP`, async () => {
    const { database, drop } = await freshDatabase(dialect)
    try {
      const net = localServiceFor({
        'network:public': { cidr: '127.226.0.0/16' },
        'network:public-v6': { network: 'public', cidr: 'fd00:226::/64' },
      })
      const v6 = stableId('subnet', 'public-v6-subnet')
      const vip = await net.allocateVip(database.db, {
        loadBalancerId: 'lb1', projectId: 'p', subnetId: PUBLIC_SUBNET, additionalVips: [{ subnetId: v6 }],
      })
      assert.equal(vip.additionalVips?.length, 1)
      assert.deepEqual({ ...vip.additionalVips![0], portId: '' }, { ipAddress: 'fd00:226::2', subnetId: v6, networkId: PUBLIC_NET, portId: '' })
      assert.equal((await net.listPorts(database.db, { deviceIds: ['lb-lb1'] })).length, 2)
      await net.releaseVip(database.db, vip.portId)
      assert.equal((await net.listPorts(database.db)).length, 0)
    } finally {
      await drop()
    }
  })
}
