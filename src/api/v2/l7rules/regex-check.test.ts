import assert from 'node:assert/strict'
import { test } from 'node:test'
import { regexCompileError, toJsSyntax } from './regex-check.js'

test('when a pattern uses PCRE-only syntax, then it is rewritten into an equivalent JavaScript pattern', () => {
  assert.equal(toJsSyntax('(?i)^/api'), '^/api')
  assert.equal(toJsSyntax('(?i:a)b'), '(?:a)b')
  assert.equal(toJsSyntax('\\Afoo\\z'), '^foo$')
  assert.equal(toJsSyntax('[\\A]'), '[\\A]')
  assert.equal(toJsSyntax('a++b*+c?+d{2}+'), 'a+b*c?d{2}')
  assert.equal(toJsSyntax('a+?'), 'a+?')
  assert.equal(toJsSyntax('(?>ab)(?|c)'), '(?:ab)(?:c)')
  assert.equal(toJsSyntax('(?P<n>x)(?P=n)(?\'m\'y)'), '(?<n>x)(?:\\k<n>)(?<m>y)')
  assert.equal(toJsSyntax('[]a][[:digit:]]'), '[\\]a][a]')
  assert.equal(toJsSyntax('\\Qa.b(\\E+'), 'a\\.b\\(+')
  assert.equal(toJsSyntax('(?#note)x(?R)'), 'x(?:)')
})

test('when a pattern is valid or not, then the compile error names the reason', () => {
  for (const ok of ['jpg|png', '^/images/.*\\.(png|jpe?g)$', '(?i)\\A/API(?P<v>[0-9]+)\\z', '(?<=a)b', '(?!x)y', '/images*']) {
    assert.equal(regexCompileError(ok), null, ok)
  }
  assert.equal(regexCompileError('bad string\\'), '\\ at end of pattern')
  assert.equal(regexCompileError('(unclosed'), 'Unterminated group')
  assert.equal(regexCompileError('a**'), 'Nothing to repeat')
  assert.equal(regexCompileError('a+++'), 'Nothing to repeat')
  assert.equal(regexCompileError('[z-a]'), 'Range out of order in character class')
})
