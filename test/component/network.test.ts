import { test } from 'node:test'
import assert from 'node:assert/strict'
import { startHarness } from '../support/api-harness.js'
import { testDialects } from '../support/databases.js'
import { stableId } from '../../src/common/net/stable-id.js'

const PUBLIC_NET = stableId('network', 'public')
const PUBLIC_SUBNET = stableId('subnet', 'public-subnet')

for (const dialect of testDialects) {
  test(`${dialect}: when the CLI resolves the default subnet and network by name or id, then it finds them`, async () => {
    const h = await startHarness(dialect)
    try {
      // what `--vip-subnet-id public-subnet` sends: name first, then id
      const byName = await h.request('GET', '/v2.0/subnets?name=public-subnet')
      assert.equal(byName.status, 200)
      assert.deepEqual(byName.body.subnets.map((s: any) => s.id), [PUBLIC_SUBNET])
      assert.deepEqual((await h.request('GET', `/v2.0/subnets?name=${PUBLIC_SUBNET}`)).body, { subnets: [] })
      assert.deepEqual((await h.request('GET', `/v2.0/subnets?id=${PUBLIC_SUBNET}`)).body.subnets.map((s: any) => s.id), [PUBLIC_SUBNET])
      assert.deepEqual((await h.request('GET', '/v2.0/subnets?id=public-subnet')).body, { subnets: [] })
      assert.deepEqual((await h.request('GET', '/v2.0/networks?name=public')).body.networks.map((n: any) => n.id), [PUBLIC_NET])
      const s = byName.body.subnets[0]
      assert.deepEqual({
        id: s.id, name: s.name, network_id: s.network_id, cidr: s.cidr, ip_version: s.ip_version, gateway_ip: s.gateway_ip,
        allocation_pools: s.allocation_pools, enable_dhcp: s.enable_dhcp, tenant_id: s.tenant_id, project_id: s.project_id,
      }, {
        id: PUBLIC_SUBNET, name: 'public-subnet', network_id: PUBLIC_NET, cidr: '127.226.0.0/16', ip_version: 4,
        gateway_ip: '127.226.0.1', allocation_pools: [{ start: '127.226.0.2', end: '127.226.255.254' }], enable_dhcp: false,
        tenant_id: '', project_id: '',
      })
      const n = (await h.request('GET', `/v2.0/networks/${PUBLIC_NET}`)).body.network
      assert.deepEqual({ id: n.id, name: n.name, subnets: n.subnets, status: n.status, admin_state_up: n.admin_state_up, shared: n.shared },
        { id: PUBLIC_NET, name: 'public', subnets: [PUBLIC_SUBNET], status: 'ACTIVE', admin_state_up: true, shared: true })
      assert.equal((await h.request('GET', `/v2.0/subnets/${PUBLIC_SUBNET}.json`)).body.subnet.name, 'public-subnet')
    } finally {
      await h.close()
    }
  })

  test(`${dialect}: when filters repeat or combine and fields are asked, then Neutron's semantics apply`, async () => {
    const h = await startHarness(dialect, {
      'network:a': { cidr: '10.10.0.0/24' },
      'network:b': { network: 'a', cidr: '10.11.0.0/24', subnet_name: 'b' },
      'network:c': { cidr: 'fd00:c::/64' },
    })
    try {
      const ids = (r: any) => r.body.subnets.map((s: any) => s.name)
      assert.deepEqual(ids(await h.request('GET', '/v2.0/subnets')), ['a-subnet', 'b', 'c-subnet'])
      assert.deepEqual(ids(await h.request('GET', '/v2.0/subnets?name=b&name=c-subnet')), ['b', 'c-subnet'])
      assert.deepEqual(ids(await h.request('GET', `/v2.0/subnets?network_id=${stableId('network', 'a')}&ip_version=4`)), ['a-subnet', 'b'])
      assert.deepEqual(ids(await h.request('GET', '/v2.0/subnets?name=b&ip_version=6')), [])
      assert.deepEqual((await h.request('GET', '/v2.0/subnets?name=b&fields=id&fields=cidr')).body,
        { subnets: [{ id: stableId('subnet', 'b'), cidr: '10.11.0.0/24' }] })
      assert.deepEqual((await h.request('GET', `/v2.0/networks/${stableId('network', 'c')}?fields=name`)).body, { network: { name: 'c' } })
      assert.deepEqual((await h.request('GET', '/v2.0/networks?name=public')).body, { networks: [] })
      const paged = await h.request('GET', '/v2.0/subnets?limit=2')
      assert.equal(paged.body.subnets.length, 2)
      assert.equal(paged.body.subnets_links[0].rel, 'next')
      const next = new URL(paged.body.subnets_links[0].href)
      const rest = await h.request('GET', next.pathname + next.search)
      assert.equal(rest.body.subnets.length, 1)
      assert.equal(rest.body.subnets_links, undefined)
      const bad = await h.request('GET', '/v2.0/subnets?colour=red')
      assert.equal(bad.status, 400)
      assert.deepEqual(bad.body, { NeutronError: { type: 'HTTPBadRequest', message: "['colour'] is invalid attribute for filtering", detail: '' } })
    } finally {
      await h.close()
    }
  })

  test(`${dialect}: when an unknown id is shown, then 404 comes with a NeutronError body`, async () => {
    const h = await startHarness(dialect)
    try {
      const id = '00000000-0000-4000-8000-000000000000'
      const cases: [string, string, string][] = [
        ['networks', 'NetworkNotFound', `Network ${id} could not be found.`],
        ['subnets', 'SubnetNotFound', `Subnet ${id} could not be found.`],
        ['ports', 'PortNotFound', `Port ${id} could not be found.`],
        ['qos/policies', 'QosPolicyNotFound', `QoS policy ${id} could not be found.`],
        ['security-groups', 'SecurityGroupNotFound', `Security group ${id} does not exist`],
      ]
      for (const [path, type, message] of cases) {
        const r = await h.request('GET', `/v2.0/${path}/${id}`)
        assert.equal(r.status, 404, path)
        assert.deepEqual(r.body, { NeutronError: { type, message, detail: '' } })
      }
      assert.deepEqual((await h.request('GET', '/v2.0/qos/policies?name=gold')).body, { policies: [] })
      assert.deepEqual((await h.request('GET', '/v2.0/security-groups')).body, { security_groups: [] })
    } finally {
      await h.close()
    }
  })

  test(`${dialect}: when VIP ports exist, then /v2.0/ports shows them and finds them by name, id, device and fixed ip`, async () => {
    const h = await startHarness(dialect)
    try {
      const db = h.deps.database.db
      const vip = await h.deps.network.allocateVip(db, { loadBalancerId: 'lb1', projectId: 'p1', subnetId: PUBLIC_SUBNET })
      const free = await h.deps.network.allocatePort(db, { networkId: PUBLIC_NET, name: 'spare', projectId: 'p1' })
      const names = (r: any) => r.body.ports.map((p: any) => p.name)
      assert.deepEqual(names(await h.request('GET', '/v2.0/ports')), ['octavia-lb-lb1', 'spare'])
      assert.deepEqual(names(await h.request('GET', '/v2.0/ports?name=spare')), ['spare'])
      assert.deepEqual(names(await h.request('GET', `/v2.0/ports?id=${vip.portId}`)), ['octavia-lb-lb1'])
      assert.deepEqual(names(await h.request('GET', '/v2.0/ports?device_id=lb-lb1')), ['octavia-lb-lb1'])
      assert.deepEqual(names(await h.request('GET', '/v2.0/ports?device_id=')), ['spare'])
      assert.deepEqual(names(await h.request('GET', `/v2.0/ports?fixed_ips=ip_address%3D${free.ipAddress}`)), ['spare'])
      assert.deepEqual(names(await h.request('GET', `/v2.0/ports?network_id=${PUBLIC_NET}&device_owner=Octavia`)), ['octavia-lb-lb1'])
      const shown = (await h.request('GET', `/v2.0/ports/${vip.portId}`)).body.port
      assert.deepEqual({
        id: shown.id, network_id: shown.network_id, fixed_ips: shown.fixed_ips, device_id: shown.device_id,
        device_owner: shown.device_owner, status: shown.status, project_id: shown.project_id,
      }, {
        id: vip.portId, network_id: PUBLIC_NET, fixed_ips: [{ subnet_id: PUBLIC_SUBNET, ip_address: '127.226.0.2' }],
        device_id: 'lb-lb1', device_owner: 'Octavia', status: 'ACTIVE', project_id: 'p1',
      })
      assert.match(shown.mac_address, /^fa:16:3e(:[0-9a-f]{2}){3}$/)
    } finally {
      await h.close()
    }
  })

  test(`${dialect}: when the noop network driver is configured, then any id resolves and lists are empty`, async () => {
    const h = await startHarness(dialect, { controller_worker: { network_driver: 'network_noop_driver' } })
    try {
      const id = '11111111-2222-4333-8444-555555555555'
      assert.deepEqual((await h.request('GET', '/v2.0/subnets')).body, { subnets: [] })
      assert.deepEqual((await h.request('GET', `/v2.0/subnets?id=${id}`)).body.subnets.map((s: any) => s.id), [id])
      assert.equal((await h.request('GET', `/v2.0/networks/${id}`)).body.network.id, id)
      assert.equal((await h.request('GET', `/v2.0/ports?id=${id}`)).body.ports[0].id, id)
      const vip = await h.deps.network.allocateVip(h.deps.database.db, { loadBalancerId: 'lb1', projectId: 'p', subnetId: id })
      assert.deepEqual({ ...vip, portId: '', networkId: '' },
        { ipAddress: '198.51.100.1', subnetId: id, networkId: '', portId: '', octaviaOwned: true, additionalVips: [] })
    } finally {
      await h.close()
    }
  })
}
