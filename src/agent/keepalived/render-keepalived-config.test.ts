/**
 * The keepalived renderer's contract beyond the golden files: strict
 * validation of every spec field (what is refused and why), and an injection
 * suite: hostile strings and numbers in every field either make the renderer
 * throw KeepalivedConfigError or leave the file's structure (its lines and
 * their keywords) exactly as with harmless values.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { VrrpSpec } from '../../amphora-api/agent-api.js'
import { KeepalivedConfigError } from './keepalived-config-error.js'
import { renderKeepalivedConfig, type KeepalivedRenderInput } from './render-keepalived-config.js'
import { checkVrrpSpec } from './vrrp-spec-check.js'

const SPEC: VrrpSpec = Object.freeze({
  groupName: 'abc123', vrrpId: 1, priority: 100, authPassword: 'pw12345', advertInt: 1,
  ownIp: '10.213.0.21', peerIps: Object.freeze(['10.213.0.22']), vips: Object.freeze(['10.213.0.10/24']),
})
const INPUT: KeepalivedRenderInput = Object.freeze({
  spec: SPEC, interfaceName: 'eth-1', checkScriptPath: '/var/lib/amp/1/keepalived-check.sh',
  timers: Object.freeze({ checkInterval: 2, failCount: 2, successCount: 2, garpRefreshInterval: 5, garpRefreshCount: 2 }),
})

const render = (spec: Partial<Record<keyof VrrpSpec, unknown>>, rest: Partial<Record<keyof KeepalivedRenderInput, unknown>> = {}): string =>
  renderKeepalivedConfig({ ...INPUT, ...rest, spec: { ...SPEC, ...spec } } as KeepalivedRenderInput)
const refused = (fn: () => unknown, message: RegExp): void => {
  assert.throws(fn, (e: unknown) => e instanceof KeepalivedConfigError && message.test(e.message), String(message))
}

/**
 * Each line as its number of words and its keyword; a line of an address list
 * (first word an address or a number) counts as one VALUE. Blank lines and
 * the header comment count too.
 */
const structure = (text: string): string[] => text.split('\n').map((l) => {
  const words = l.trim() === '' ? [] : l.trim().split(/\s+/)
  const first = words[0] ?? ''
  return `${words.length}:${/^[0-9a-f:.\/]+$/i.test(first) && /[0-9]/.test(first) ? 'VALUE' : first}`
})

test('when the same input is rendered twice, then the text is the same, ends with a newline, and the input is untouched', () => {
  const first = renderKeepalivedConfig(INPUT)
  assert.equal(renderKeepalivedConfig(INPUT), first)
  assert.ok(first.endsWith('}\n'))
  assert.equal(first.split('\n').filter((l) => l.includes('{')).length, first.split('\n').filter((l) => l.trim() === '}').length)
})

test('when addresses are not canonical, then the canonical text is rendered', () => {
  const text = render({ ownIp: 'FD00:213:0::21', peerIps: ['fd00:213::0:22'], vips: ['FD00:213::10/64'] })
  assert.match(text, /unicast_src_ip fd00:213::21\n/)
  assert.match(text, /\n {8}fd00:213::22\n/)
  assert.match(text, /\n {8}fd00:213::10\/64\n/)
})

test('when the advert interval is an integer over IPv4, then VRRPv2 with PASS authentication is rendered; otherwise VRRPv3 without it', () => {
  const v2 = render({ advertInt: 255 })
  assert.match(v2, /advert_int 255\n {4}authentication \{\n {8}auth_type PASS\n {8}auth_pass pw12345\n/)
  assert.ok(!v2.includes('version 3'))
  for (const [advertInt, text] of [[0.01, '0.01'], [0.2, '0.2'], [1.5, '1.5'], [40.95, '40.95']] as const) {
    const v3 = render({ advertInt })
    assert.match(v3, new RegExp(`version 3\\n {4}advert_int ${text.replace('.', '\\.')}\\n`))
    assert.ok(!v3.includes('authentication'))
  }
  assert.match(render({ ownIp: 'fd00::1', peerIps: ['fd00::2'], vips: ['fd00::10/64'], advertInt: 40 }), /version 3\n {4}advert_int 40\n/)
})

test('when spec values are out of range or malformed, then KeepalivedConfigError names the field', () => {
  refused(() => render({ groupName: '' }), /groupName/)
  refused(() => render({ groupName: 'a'.repeat(33) }), /groupName/)
  refused(() => render({ groupName: 'a-b' }), /groupName/)
  refused(() => render({ authPassword: '123456789' }), /authPassword/)
  refused(() => render({ authPassword: 'pass word' }), /authPassword/)
  for (const vrrpId of [0, 256, 1.5, -1, Number.NaN, '1']) refused(() => render({ vrrpId }), /vrrpId/)
  for (const priority of [0, 255, 100.5, Infinity, null]) refused(() => render({ priority }), /priority/)
  for (const advertInt of [0, -1, 256, 0.005, 40.951, Number.NaN, Infinity, '1']) refused(() => render({ advertInt }), /advertInt/)
  refused(() => render({ ownIp: 'fd00::1', peerIps: ['fd00::2'], vips: ['fd00::10/64'], advertInt: 41 }), /advertInt/)
  refused(() => render({ ownIp: '10.213.0.021' }), /ownIp must be an IP address/)
  refused(() => render({ ownIp: '0.0.0.0' }), /ownIp must not be the unspecified/)
  refused(() => render({ peerIps: [] }), /peerIps must be a list of 1 to 8/)
  refused(() => render({ peerIps: Array.from({ length: 9 }, (_, i) => `10.213.0.${30 + i}`) }), /peerIps must be a list/)
  refused(() => render({ peerIps: ['fd00::2'] }), /peerIps\[0\] is not of the family of ownIp/)
  refused(() => render({ peerIps: ['10.213.0.21'] }), /must be different addresses/)
  refused(() => render({ peerIps: ['10.213.0.22', '10.213.0.22'] }), /must be different addresses/)
  refused(() => render({ vips: [] }), /vips must be a list of 1 to 32/)
  refused(() => render({ vips: ['10.213.0.10'] }), /vips\[0\] must be an address with a prefix length/)
  refused(() => render({ vips: ['10.213.0.10/33'] }), /prefix length from 1 to 32/)
  refused(() => render({ vips: ['10.213.0.10/0'] }), /prefix length/)
  refused(() => render({ vips: ['10.213.0.10/24/1'] }), /vips\[0\]/)
  refused(() => render({ vips: ['10.213.0.22/24'] }), /must be different addresses/)
  refused(() => render({ vips: ['10.213.0.10/24', '10.213.0.10/32'] }), /must be different addresses/)
  refused(() => renderKeepalivedConfig({ ...INPUT, spec: { ...SPEC, extra: 'x' } as VrrpSpec }), /unknown field/)
  refused(() => checkVrrpSpec(null as unknown as VrrpSpec), /must be an object/)
})

test('when the agent-side values are unusable, then KeepalivedConfigError is thrown', () => {
  refused(() => render({}, { interfaceName: 'eth-0123456789abc' }), /interfaceName/)
  refused(() => render({}, { checkScriptPath: 'relative/check.sh' }), /checkScriptPath/)
  refused(() => render({}, { checkScriptPath: '/a/../b' }), /checkScriptPath/)
  refused(() => render({}, { timers: { ...INPUT.timers, checkInterval: 0 } }), /checkInterval/)
  refused(() => render({}, { timers: { ...INPUT.timers, garpRefreshCount: 1.5 } }), /garpRefreshCount/)
})

const STRING_PAYLOADS = [
  'x\n    nopreempt', 'x\r\nvrrp_instance evil {', 'x }', '} vrrp_instance evil {', 'a b', ' leading', 'trailing ',
  'x\ty', '"quoted"', "'q'", 'a#comment', 'a!comment', '$HOME', '${HOME}', '@id x', 'include /etc/passwd',
  '\u2028x', '\u0085x', 'a\0b', '\\', 'é', '',
]
/** Where a string reaches the file, and how to put it there. */
const STRING_FIELDS: [string, (v: string) => string][] = [
  ['groupName', (v) => render({ groupName: v })],
  ['authPassword', (v) => render({ authPassword: v })],
  ['ownIp', (v) => render({ ownIp: v })],
  ['peerIps[0]', (v) => render({ peerIps: [v] })],
  ['vips[0]', (v) => render({ vips: [v] })],
  ['vips[0] prefix', (v) => render({ vips: [`10.213.0.10/${v}`] })],
  ['interfaceName', (v) => render({}, { interfaceName: v })],
  ['checkScriptPath', (v) => render({}, { checkScriptPath: `/var/lib/${v}` })],
]

test('when any string field carries a hostile value, then the renderer throws or the file keeps its structure', () => {
  const baseline = structure(renderKeepalivedConfig(INPUT))
  let rendered = 0
  for (const [field, build] of STRING_FIELDS) {
    for (const payload of [...STRING_PAYLOADS, ...STRING_PAYLOADS.map((p) => `10.213.0.9${p}`)]) {
      let text: string
      try {
        text = build(payload)
      } catch (err) {
        assert.ok(err instanceof KeepalivedConfigError, `${field} ${JSON.stringify(payload)}: ${String(err)}`)
        assert.ok(!(err as Error).message.includes(payload) || payload.length < 2, 'the message does not echo the value')
        continue
      }
      rendered++
      assert.deepEqual(structure(text), baseline, `${field} ${JSON.stringify(payload)} changed the structure`)
      assert.ok(!/[\0\r\u0085\u2028]/.test(text), `${field} ${JSON.stringify(payload)} left a control character`)
    }
  }
  // only the harmless forms are accepted: an address followed by an empty payload, a plain path word
  assert.ok(rendered <= 4, `${rendered} hostile values were accepted`)
})

test('when a number field carries a hostile value, then the renderer throws KeepalivedConfigError', () => {
  const hostile: unknown[] = [Number.NaN, Infinity, -Infinity, -0.5, 1e308, '1\nnopreempt', [1], { valueOf: () => 1 }, true, null, undefined]
  for (const field of ['vrrpId', 'priority', 'advertInt'] as const) {
    for (const v of hostile) refused(() => render({ [field]: v }), new RegExp(field))
  }
  for (const field of Object.keys(INPUT.timers) as (keyof KeepalivedRenderInput['timers'])[]) {
    for (const v of hostile) refused(() => render({}, { timers: { ...INPUT.timers, [field]: v } }), new RegExp(field))
  }
})

test('when list fields hold something else than a list of strings, then the renderer throws', () => {
  for (const v of ['10.213.0.22', { 0: '10.213.0.22', length: 1 }, [['10.213.0.22']], [22], null]) {
    assert.throws(() => render({ peerIps: v }), KeepalivedConfigError)
    assert.throws(() => render({ vips: v }), KeepalivedConfigError)
  }
})
