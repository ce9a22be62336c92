import { test } from 'node:test'
import assert from 'node:assert/strict'
import { runtimeChanges } from './runtime-changes.js'

const config = (servers: string[], extra = ''): string => [
  'global',
  '    nbthread 1',
  '',
  'frontend f1',
  '    mode http',
  '    bind 10.0.0.1:80',
  `    default_backend p1:f1${extra}`,
  '',
  'backend p1:f1',
  '    mode http',
  ...servers.map(s => `    ${s}`),
  '',
].join('\n')

test('when two configs are equal, then no runtime change is needed', () => {
  const c = config(['server m1 10.0.0.5:80 weight 1'])
  assert.deepEqual(runtimeChanges(c, c), [])
})

test('when only weights and admin states differ, then they become runtime changes of that backend', () => {
  const before = config(['server m1 10.0.0.5:80 weight 1', 'server m2 10.0.0.6:80 weight 3 check inter 5s', 'server m3 10.0.0.7:80 weight 1 backup'])
  const after = config(['server m1 10.0.0.5:80 weight 0', 'server m2 10.0.0.6:80 weight 3 check inter 5s disabled', 'server m3 10.0.0.7:80 weight 1 backup'])
  assert.deepEqual(runtimeChanges(before, after), [
    { backend: 'p1:f1', server: 'm1', weight: 0, state: 'ready' },
    { backend: 'p1:f1', server: 'm2', weight: 3, state: 'maint' },
  ])
  assert.deepEqual(runtimeChanges(after, before), [
    { backend: 'p1:f1', server: 'm1', weight: 1, state: 'ready' },
    { backend: 'p1:f1', server: 'm2', weight: 3, state: 'ready' },
  ])
})

test('when a server is added, removed, renamed or readdressed, then a reload is needed', () => {
  const one = config(['server m1 10.0.0.5:80 weight 1'])
  assert.equal(runtimeChanges(one, config(['server m1 10.0.0.5:80 weight 1', 'server m2 10.0.0.6:80 weight 1'])), null)
  assert.equal(runtimeChanges(config(['server m1 10.0.0.5:80 weight 1', 'server m2 10.0.0.6:80 weight 1']), one), null)
  assert.equal(runtimeChanges(one, config(['server m9 10.0.0.5:80 weight 1'])), null)
  assert.equal(runtimeChanges(one, config(['server m1 10.0.0.9:80 weight 1'])), null)
  assert.equal(runtimeChanges(one, config(['server m1 10.0.0.5:80 weight 1 backup'])), null)
})

test('when anything other than a server line differs, then a reload is needed', () => {
  const one = config(['server m1 10.0.0.5:80 weight 1'])
  assert.equal(runtimeChanges(one, one.replace('bind 10.0.0.1:80', 'bind 10.0.0.1:81')), null)
  assert.equal(runtimeChanges(one, one.replace('nbthread 1', 'nbthread 2')), null)
  assert.equal(runtimeChanges(one, config(['server m1 10.0.0.5:80 weight 2'], ' ')), null)
})
