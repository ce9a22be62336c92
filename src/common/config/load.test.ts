import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadConfig } from './load.js'

const iniFile = (text: string): string => {
  const file = join(mkdtempSync(join(tmpdir(), 'octavia-ts-config-')), 'octavia.ini')
  writeFileSync(file, text)
  return file
}

test('when no file is given, then the defaults are Octavia\'s and frozen', () => {
  const c = loadConfig(undefined, {})
  assert.equal(c.api_settings.bind_host, '127.0.0.1')
  assert.equal(c.api_settings.bind_port, 9876)
  assert.equal(c.api_settings.auth_strategy, 'noauth')
  assert.equal(c.api_settings.pagination_max_limit, 1000)
  assert.deepEqual(c.networking.reserved_ips, ['169.254.169.254'])
  assert.ok(Object.isFrozen(c) && Object.isFrozen(c.api_settings))
})

test('when an INI file sets options, then they are parsed to their types', () => {
  const c = loadConfig(iniFile(`
[DEFAULT]
debug = true
[api_settings]
bind_port = 19876
enabled_provider_drivers = amphora: The Octavia Amphora driver., noop_driver: The no-op driver.
[database]
connection = postgresql://octavia@127.0.0.1/octavia
[network:public]
cidr = 10.213.0.0/24
`), {})
  assert.equal(c.DEFAULT.debug, true)
  assert.equal(c.api_settings.bind_port, 19876)
  assert.deepEqual(c.api_settings.enabled_provider_drivers, { amphora: 'The Octavia Amphora driver.', noop_driver: 'The no-op driver.' })
  assert.equal(c.database.connection, 'postgresql://octavia@127.0.0.1/octavia')
  assert.deepEqual(c.extraSections['network:public'], { cidr: '10.213.0.0/24' })
})

test('when an environment override is set, then it wins over the file', () => {
  const c = loadConfig(iniFile('[api_settings]\nbind_port = 1\n'), { OCTAVIA_TS__api_settings__bind_port: '2' })
  assert.equal(c.api_settings.bind_port, 2)
})

test('when a value is bad, then the error names the section, option and expected kind', () => {
  assert.throws(() => loadConfig(iniFile('[api_settings]\nbind_port = eighty\n'), {}),
    { message: "invalid configuration: [api_settings] bind_port: expected an integer, got 'eighty'" })
  assert.throws(() => loadConfig(iniFile('[api_settings]\nauth_strategy = magic\n'), {}),
    { message: "invalid configuration: [api_settings] auth_strategy: expected one of noauth, keystone, got 'magic'" })
  assert.throws(() => loadConfig(iniFile('[api_settings]\nbind_prot = 1\n'), {}),
    { message: 'invalid configuration: [api_settings] bind_prot: unknown option' })
})
