import assert from 'node:assert/strict'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, describe, it } from 'node:test'
import { fetchRetryingResets, isConnectionReset } from './reset-retry.js'

// A loopback server that destroys the sockets of its first `drops` requests
// without answering (what a loaded uWSGI sometimes does), then answers 201.

describe('fetchRetryingResets', () => {
  let server: Server
  let url: string
  let drops = 0
  let seen = 0
  before(async () => {
    server = createServer((req, res) => {
      seen++
      if (drops > 0) {
        drops--
        req.socket.destroy()
        return
      }
      res.writeHead(201, { connection: 'close' }).end('made')
    })
    await new Promise<void>(r => server.listen(0, '127.0.0.1', r))
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
  })
  after(async () => { await new Promise(r => server.close(r)) })

  it('when the server drops the connection twice, then the third try answers', async () => {
    drops = 2
    seen = 0
    const res = await fetchRetryingResets(url, { method: 'POST', body: '{}' })
    assert.equal(res.status, 201)
    assert.equal(await res.text(), 'made')
    assert.equal(seen, 3)
  })

  it('when the server keeps dropping, then it gives up after the bounded tries with the reset error', async () => {
    drops = 100
    seen = 0
    await assert.rejects(fetchRetryingResets(url, { method: 'GET' }, { attempts: 3 }), (err: unknown) => isConnectionReset(err))
    assert.equal(seen, 3)
    drops = 0
  })

  it('when nothing listens, then a refused connection is retried and then thrown', async () => {
    const closed = createServer()
    await new Promise<void>(r => closed.listen(0, '127.0.0.1', r))
    const port = (closed.address() as AddressInfo).port
    await new Promise(r => closed.close(r))
    const started = Date.now()
    await assert.rejects(fetchRetryingResets(`http://127.0.0.1:${port}/`, { method: 'GET' }, { attempts: 2 }), (err: unknown) => isConnectionReset(err))
    assert.ok(Date.now() - started >= 100, 'waited before the second try')
  })
})
