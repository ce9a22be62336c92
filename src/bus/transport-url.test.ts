import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { brokerLabel, parseTransportUrl, TransportUrlError, type RabbitTransport } from './transport-url.js'

const rabbit = (url: string): RabbitTransport => {
  const choice = parseTransportUrl(url)
  assert.equal(choice.kind, 'rabbit')
  return choice.transport
}

describe('parseTransportUrl', () => {
  it('when the URL is empty or blank, then the in-process bus is chosen', () => {
    assert.deepEqual(parseTransportUrl(''), { kind: 'in-process' })
    assert.deepEqual(parseTransportUrl('  '), { kind: 'in-process' })
  })

  it('when one host is given, then its credentials, port and virtual host are read', () => {
    assert.deepEqual(rabbit('rabbit://octavia:secret@mq.example:5673/openstack'), {
      hosts: [{ hostname: 'mq.example', port: 5673, username: 'octavia', password: 'secret' }],
      vhost: 'openstack', ignoredOptions: [],
    })
  })

  it('when several hosts are given, then each keeps its own credentials and port, in order', () => {
    const t = rabbit('rabbit://a:pa@h1:5672,b:pb@h2,c:pc@[fd00::2]:5674/')
    assert.deepEqual(t.hosts, [
      { hostname: 'h1', port: 5672, username: 'a', password: 'pa' },
      { hostname: 'h2', port: 5672, username: 'b', password: 'pb' },
      { hostname: 'fd00::2', port: 5674, username: 'c', password: 'pc' },
    ])
    assert.deepEqual(t.hosts.map(brokerLabel), ['h1:5672', 'h2:5672', '[fd00::2]:5674'])
  })

  it('when the virtual host is empty, missing or %2F, then it is the default /', () => {
    assert.equal(rabbit('rabbit://u:p@h:5672/').vhost, '/')
    assert.equal(rabbit('rabbit://u:p@h:5672').vhost, '/')
    assert.equal(rabbit('rabbit://u:p@h:5672/%2F').vhost, '/')
    assert.equal(rabbit('rabbit://u:p@h:5672/%2Fteam%20a').vhost, '/team a')
  })

  it('when the password holds percent-encoded @ : / and %, then it is decoded', () => {
    const [h] = rabbit('rabbit://us%40er:p%40ss%3Aw%2Fo%25rd@h:5672/v').hosts
    assert.equal(h!.username, 'us@er')
    assert.equal(h!.password, 'p@ss:w/o%rd')
  })

  it('when a host has no credentials, then guest/guest is used (amqplib\'s default); a user alone has an empty password', () => {
    assert.deepEqual(rabbit('rabbit://h1,u@h2/').hosts.map(h => [h.username, h.password]), [['guest', 'guest'], ['u', '']])
  })

  it('when query options are given, then they are reported as ignored', () => {
    assert.deepEqual(rabbit('rabbit://u:p@h/v?ssl=1&heartbeat_timeout_threshold=30').ignoredOptions, ['ssl', 'heartbeat_timeout_threshold'])
  })

  it('when the scheme is not rabbit, then a start-up error names the scheme, not the credentials', () => {
    for (const url of ['amqp://u:hunter2@h/', 'kafka://u:hunter2@h:9092', 'h:5672']) {
      assert.throws(() => parseTransportUrl(url), (err: Error) => {
        assert.ok(err instanceof TransportUrlError)
        assert.match(err.message, /unsupported transport/)
        assert.doesNotMatch(err.message, /hunter2/)
        return true
      })
    }
  })

  it('when a host, port or percent-encoding is malformed, then it is rejected without echoing the password', () => {
    assert.throws(() => parseTransportUrl('rabbit:///v'), TransportUrlError)
    assert.throws(() => parseTransportUrl('rabbit://u:p@h:99999/'), /bad port/)
    assert.throws(() => parseTransportUrl('rabbit://u:p@h:x/'), /malformed host/)
    assert.throws(() => parseTransportUrl('rabbit://u:hunter2%zz@h/'), (err: Error) => /percent-encoding in the password/.test(err.message) && !err.message.includes('hunter2'))
  })
})
