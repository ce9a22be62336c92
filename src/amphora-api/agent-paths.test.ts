import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { agentBaseDir, haproxyRuntimePaths, loadBalancerPaths, MAX_SOCKET_PATH } from './agent-paths.js'
import { statsSocketOf } from '../agent/lb-config-files.js'

const AMP = '7a000000-0000-4000-8000-000000000001'
const LB = '0b000000-0000-4000-8000-000000000001'

describe('agent paths', () => {
  it('when the base is deep, then the sockets still fit in sun_path and differ per amphora and load balancer', () => {
    const base = agentBaseDir('', '/var/lib/octavia-ts/some/deeper/state/directory')
    const p = loadBalancerPaths(base, AMP, LB)
    assert.ok(p.statsSocket.length <= MAX_SOCKET_PATH)
    assert.equal(p.config, `${base}/${AMP}/${LB}/haproxy.cfg`)
    assert.notEqual(loadBalancerPaths(base, AMP.replace('1', '2'), LB).statsSocket, p.statsSocket)
    assert.notEqual(p.masterSocket, p.statsSocket)
  })

  it('when the controller asks for the runtime paths, then they are the agent\'s own', () => {
    const base = agentBaseDir('/srv/amps', '/ignored')
    const p = loadBalancerPaths(base, AMP, LB)
    assert.deepEqual(haproxyRuntimePaths(base, AMP, LB), { statsSocketPath: p.statsSocket, serverStateFilePath: p.serverStateFile })
  })

  it('when an id could escape the base directory, then it is refused', () => {
    assert.throws(() => loadBalancerPaths('/b', '..', LB), /not a valid id/)
    assert.throws(() => loadBalancerPaths('/b', AMP, 'a/b'), /not a valid id/)
  })

  it('when a config declares a stats socket, then its path is found', () => {
    assert.equal(statsSocketOf('global\n    nbthread 1\n    stats socket /x/y.sock mode 600 level admin\n'), '/x/y.sock')
    assert.equal(statsSocketOf('global\n    maxconn 1\n'), null)
  })
})
