/**
 * The escaping seen by a running HAProxy, not by our model of its parser:
 * a rendered configuration with hostile L7 values is started on 127.0.0.1,
 * each ACL's pattern is read back through the stats socket (`show acl`) and
 * must equal the original value byte for byte; a few HTTP requests confirm
 * that matching, `--`, escaped fetch arguments and redirects behave.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { request } from 'node:http'
import { connect, createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { renderHaproxyConfig } from '../../../src/drivers/amphora/haproxy/render-haproxy-config.js'
import { haproxyMissing } from './haproxy-binary.js'
import { GOLDEN_OPTIONS, id, listener, loadBalancer, policy, rule } from './view-builders.js'

const VALUES = [
  `a "b" 'c' #d \\e`, 'x\n    http-request deny', '" if TRUE\nlisten evil', '\\x0a', '-f', '-m reg .*',
  '$HOME ${HOME}', '%[src]', 'tab\there', 'é', '\r\n',
]

const freePort = async (): Promise<number> => new Promise((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const { port } = s.address() as { port: number }
    s.close(() => resolve(port))
  })
})

/** One runtime API command on the stats socket; resolves with the whole answer. */
const runtime = async (socket: string, command: string): Promise<string> => new Promise((resolve, reject) => {
  let out = ''
  const conn = connect(socket)
  conn.on('connect', () => conn.end(`${command}\n`))
    .on('data', (d) => { out += d.toString('utf8') }).on('end', () => resolve(out)).on('error', reject)
})

const get = async (port: number, headers: Record<string, string>): Promise<{ status: number, location?: string }> =>
  new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path: '/p', headers }, (res) => {
      res.resume()
      resolve({ status: res.statusCode ?? 0, location: res.headers.location })
    }).on('error', reject).end()
  })

test('when hostile L7 values are rendered, then the running HAProxy holds exactly those values', { skip: haproxyMissing }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'octavia-ts-live-'))
  const port = await freePort()
  const socket = join(dir, 'haproxy.sock')
  const rules = VALUES.map((value, i) => rule(i + 1, { type: 'HEADER', key: 'X-T', compareType: 'EQUAL_TO', value }))
  const lb = loadBalancer({
    vip: { ipAddress: '127.0.0.1', subnetId: null, portId: null },
    pools: [],
    listeners: [listener(1, {
      protocolPort: port,
      defaultPoolId: null,
      l7Policies: [
        ...rules.map((r, i) => policy(i + 1, { action: 'REJECT', rules: [r] })),
        policy(80, { action: 'REJECT', rules: [rule(80, { type: 'COOKIE', key: "c'd#e", compareType: 'EQUAL_TO', value: 'yes' })] }),
        policy(90, { action: 'REDIRECT_TO_URL', redirectUrl: `https://e.example/a#"b'\\`, redirectHttpCode: 307,
          rules: [rule(90, { type: 'PATH', compareType: 'STARTS_WITH', value: '/p' })] }),
      ],
    })],
  })
  const config = renderHaproxyConfig(lb, { ...GOLDEN_OPTIONS, statsSocketPath: socket, serverStateFilePath: null, log: { ...GOLDEN_OPTIONS.log, address: null } })
  const file = join(dir, 'haproxy.cfg')
  await writeFile(file, config)
  const haproxy = spawn('haproxy', ['-db', '-f', file], { stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  haproxy.stderr.on('data', (d: Buffer) => { stderr += d.toString() })
  try {
    for (let i = 0; i < 100 && !existsSync(socket); i++) await sleep(50)
    assert.ok(existsSync(socket), `haproxy did not start:\n${stderr}`)
    const lines = config.split('\n')
    const list = await runtime(socket, 'show acl')
    for (const [i, value] of VALUES.entries()) {
      const line = lines.findIndex((l) => l.startsWith(`    acl ${id('rule', i + 1)} `)) + 1
      const aclId = new RegExp(`^(\\d+) \\(\\) acl 'req\\.hdr' file '[^']*' line ${line}\\.`, 'm').exec(list)?.[1]
      assert.ok(aclId !== undefined, `no ACL at line ${line}:\n${list}`)
      const dump = await runtime(socket, `show acl #${aclId}`)
      const pattern = dump.slice(dump.indexOf(' ') + 1).replace(/\n\n$/, '')
      assert.equal(pattern, value, `ACL of value ${JSON.stringify(value)}`)
    }
    assert.equal((await get(port, { 'X-T': `a "b" 'c' #d \\e` })).status, 403)
    assert.equal((await get(port, { 'X-T': '-f' })).status, 403)
    assert.equal((await get(port, { 'X-T': '$HOME ${HOME}' })).status, 403)
    assert.equal((await get(port, { Cookie: "c'd#e=yes", 'X-T': 'other' })).status, 403)
    const redirect = await get(port, { 'X-T': 'other' })
    assert.deepEqual(redirect, { status: 307, location: `https://e.example/a#"b'\\` })
  } finally {
    haproxy.kill('SIGTERM')
    await new Promise((resolve) => haproxy.exitCode !== null ? resolve(null) : haproxy.once('exit', resolve))
    await rm(dir, { recursive: true, force: true })
  }
})
