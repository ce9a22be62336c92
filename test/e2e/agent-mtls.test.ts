/**
 * The agent's transport: HTTPS with mutual TLS from the local CA. Only
 * clients with a certificate of that CA get an answer; the controller's
 * client accepts only an agent certificate of its CA naming the host; an
 * unreachable agent is retried a bounded number of times.
 */
import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { request } from 'node:https'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { LocalCa } from '../../src/pki/local-ca.js'
import { AgentUnreachableError } from '../../src/drivers/amphora/rest/agent-client-errors.js'
import { AgentClient } from '../../src/drivers/amphora/rest/agent-client.js'
import { freePort, startAgentHarness, type AgentHarness } from './support/agent-harness.js'

let h: AgentHarness
let foreignDir: string

before(async () => {
  h = await startAgentHarness()
  foreignDir = await mkdtemp(join(tmpdir(), 'octavia-foreign-ca-'))
})
after(async () => {
  await h.close()
  await rm(foreignDir, { recursive: true, force: true })
})

/** A raw HTTPS GET with the given client material; resolves with the status or the error message. */
function rawGet(port: number, tls: { ca: string; cert?: string; key?: string }, host = '127.0.0.1'): Promise<number | string> {
  return new Promise((resolve) => {
    const req = request({ host, port, path: '/', ...tls, agent: false, timeout: 5000 }, (res) => {
      res.resume()
      resolve(res.statusCode ?? 0)
    })
    req.on('error', (err) => resolve(err.message))
    req.end()
  })
}

const clientWith = (tls: { cert: string; key: string; ca: string }, maxRetries = 1): AgentClient => new AgentClient({
  tls, defaultPort: h.endpoint.port ?? 0, connectTimeoutMs: 2000, readTimeoutMs: 5000, maxRetries, retryIntervalMs: 100,
})

describe('agent transport', () => {
  it('when the client presents a certificate of the local CA, then the agent answers', async () => {
    const ca = await LocalCa.open(join(h.stateDir, 'pki'))
    const client = await ca.issueClient({ commonName: 'probe' })
    assert.equal(await rawGet(h.endpoint.port ?? 0, { ca: ca.certPem, cert: client.certPem, key: client.keyPem }), 200)
  })

  it('when the client presents no certificate, then the agent refuses the connection', async () => {
    const ca = await LocalCa.open(join(h.stateDir, 'pki'))
    assert.equal(typeof await rawGet(h.endpoint.port ?? 0, { ca: ca.certPem }), 'string')
  })

  it('when the client certificate comes from a foreign CA, then the agent refuses the connection', async () => {
    const ours = await LocalCa.open(join(h.stateDir, 'pki'))
    const foreign = await LocalCa.open(foreignDir)
    const intruder = await foreign.issueClient({ commonName: 'intruder' })
    assert.equal(typeof await rawGet(h.endpoint.port ?? 0, { ca: ours.certPem, cert: intruder.certPem, key: intruder.keyPem }), 'string')
    const client = clientWith({ cert: intruder.certPem, key: intruder.keyPem, ca: ours.certPem })
    await assert.rejects(client.root(h.endpoint), AgentUnreachableError)
    await client.close()
  })

  it('when the agent certificate is not from the CA the client trusts, then the client refuses it without retrying', async () => {
    const ours = await LocalCa.open(join(h.stateDir, 'pki'))
    const foreign = await LocalCa.open(foreignDir)
    const mine = await ours.issueClient({ commonName: 'controller' })
    const client = clientWith({ cert: mine.certPem, key: mine.keyPem, ca: foreign.certPem }, 5)
    const started = Date.now()
    await assert.rejects(client.root(h.endpoint), (e: AgentUnreachableError) => /after 1 attempt/.test(e.message))
    assert.ok(Date.now() - started < 1000)
    await client.close()
  })

  it('when the host name is not in the agent certificate, then the client refuses it', async () => {
    const ca = await LocalCa.open(join(h.stateDir, 'pki'))
    const client = await ca.issueClient({ commonName: 'probe' })
    const answer = await new Promise<string | number>((resolve) => {
      const req = request({ host: '127.0.0.1', port: h.endpoint.port, servername: 'not-the-agent.example', ca: ca.certPem,
        cert: client.certPem, key: client.keyPem, agent: false }, (res) => {
        res.resume()
        resolve(res.statusCode ?? 0)
      })
      req.on('error', (err) => resolve(err.message))
      req.end()
    })
    assert.match(String(answer), /does not match certificate's altnames/)
    const byName = clientWith({ cert: client.certPem, key: client.keyPem, ca: ca.certPem })
    assert.deepEqual(await byName.root({ host: 'localhost', port: h.endpoint.port }), { api_version: '1.0' })
    await byName.close()
  })

  it('when nothing listens at the agent address, then the client retries the configured number of times and gives up', async () => {
    const port = await freePort('127.0.0.1')
    const client = h.client
    const started = Date.now()
    await assert.rejects(client.info({ host: '127.0.0.1', port }), (e: AgentUnreachableError) =>
      e instanceof AgentUnreachableError && /after 3 attempt\(s\).*ECONNREFUSED/.test(e.message))
    const elapsed = Date.now() - started
    assert.ok(elapsed >= 380 && elapsed < 3000, `two waits of 200 ms, took ${elapsed} ms`)
  })
})
