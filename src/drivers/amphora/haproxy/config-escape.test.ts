import { test } from 'node:test'
import assert from 'node:assert/strict'
import { configWord, decodeConfigWord, fetchArgumentWord } from './config-escape.js'
import { RenderError } from './render-error.js'
import { tokenizeLine } from '../../../../test/golden/haproxy/haproxy-tokenizer.js'

test('when a value has only plain characters, then it is written as is', () => {
  for (const v of ['abc', '/api/v1?x=1&y=2', '^(a|b)$', 'a$HOME', '%[src]', 'é€']) assert.equal(configWord(v), v)
})

test('when a value has delimiters, quotes, # or backslashes, then each is backslash-escaped', () => {
  assert.equal(configWord('a b'), 'a\\ b')
  assert.equal(configWord('a#b'), 'a\\#b')
  assert.equal(configWord('a\\b'), 'a\\\\b')
  assert.equal(configWord(`'"`), `\\'\\"`)
})

test('when a value has control characters, then they are written as \\xNN', () => {
  assert.equal(configWord('a\nb'), 'a\\x0ab')
  assert.equal(configWord('\r\t\x7f'), '\\x0d\\x09\\x7f')
})

test('when a value is empty or holds NUL, then RenderError is thrown', () => {
  assert.throws(() => configWord(''), RenderError)
  assert.throws(() => configWord('a\0b', 'rule value'), /rule value must not contain NUL/)
})

test('when any value is escaped, then HAProxy reads back exactly one word equal to it', () => {
  let seed = 42
  const next = (): number => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed }
  const alphabet = [' ', '\t', '\n', '\r', '#', "'", '"', '\\', '$', '{', '}', 'x', '0', 'a', '%', 'é', '\x01', '\x7f', '-', '(', ')', ',']
  for (let i = 0; i < 2000; i++) {
    const len = 1 + (next() % 12)
    const value = Array.from({ length: len }, () => alphabet[next() % alphabet.length]).join('')
    const word = configWord(value)
    assert.ok(!/[\s]/.test(word.replace(/\\[ \t]/g, '')), `raw whitespace in ${JSON.stringify(word)}`)
    assert.deepEqual(tokenizeLine(`acl a path -- ${word}`), ['acl', 'a', 'path', '--', value])
    assert.equal(decodeConfigWord(word), value)
  }
})

test('when a fetch argument holds a single quote or #, then it is escaped for the argument parser and the tokenizer', () => {
  assert.equal(fetchArgumentWord('X-Id'), 'X-Id')
  assert.equal(fetchArgumentWord("c'd#"), "c\\\\\\'d\\#")
  assert.deepEqual(tokenizeLine(`acl a req.cook(${fetchArgumentWord("c'd#")})`), ['acl', 'a', "req.cook(c\\'d#)"])
})
