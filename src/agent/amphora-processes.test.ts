import assert from 'node:assert/strict'
import { test } from 'node:test'
import { amphoraOfCommandLine } from './amphora-processes.js'

const BASE = '/var/lib/octavia-ts/amphorae'
const AMP = '0f6b6a52-3c1e-4d7e-9a52-7e2d1a0c9b11'
const LB = '5d2c8c1e-1b7a-4d3f-8a0e-2a9b7c6d5e4f'
const haproxy = (config: string, program = '/usr/sbin/haproxy') => [program, '-W', '-S', `${BASE}/run/0123.master.sock,mode,600`, '-f', config]

test('when a HAProxy or keepalived runs a configuration of an amphora under the base, then the command line names that amphora', () => {
  assert.equal(amphoraOfCommandLine(haproxy(`${BASE}/${AMP}/${LB}/haproxy.cfg`), BASE), AMP)
  assert.equal(amphoraOfCommandLine(haproxy(`${BASE}/${AMP}/${LB}/haproxy.cfg`, 'haproxy'), BASE), AMP, 'program given by name')
  assert.equal(amphoraOfCommandLine([...haproxy(`${BASE}/${AMP}/${LB}/haproxy.cfg`), '-x', 'sock', '-sf', '123'], BASE), AMP, 'after a reload')
  assert.equal(amphoraOfCommandLine(['keepalived', '--vrrp', '--dont-fork', '-f', `${BASE}/${AMP}/keepalived.conf`, '-p', 'x'], BASE), AMP)
})

test('when a command line does not carry exactly our marks, then it is nobody\'s', () => {
  const cases: [string, string[]][] = [
    ['another base directory', haproxy(`/srv/other/amphorae/${AMP}/${LB}/haproxy.cfg`)],
    ['a base that merely starts like ours', haproxy(`${BASE}-old/${AMP}/${LB}/haproxy.cfg`)],
    ['another program naming our file', ['tail', '-f', `${BASE}/${AMP}/${LB}/haproxy.cfg`]],
    ['keepalived with a HAProxy file', ['keepalived', '-f', `${BASE}/${AMP}/${LB}/haproxy.cfg`]],
    ['HAProxy with another file', haproxy(`${BASE}/${AMP}/${LB}/haproxy.cfg.new`)],
    ['a path that climbs out', haproxy(`${BASE}/../${AMP}/${LB}/haproxy.cfg`)],
    ['a HAProxy file outside a load balancer directory', haproxy(`${BASE}/${AMP}/haproxy.cfg`)],
    ['a HAProxy file one level too deep', haproxy(`${BASE}/${AMP}/${LB}/x/haproxy.cfg`)],
    ['no -f at all', ['/usr/sbin/haproxy', '-v']],
    ['-f without a value', ['/usr/sbin/haproxy', '-f']],
    ['an empty command line (a zombie)', ['']],
  ]
  for (const [what, argv] of cases) assert.equal(amphoraOfCommandLine(argv, BASE), null, what)
})
