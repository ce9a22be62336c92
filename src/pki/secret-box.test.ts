import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { SecretBox, SecretBoxError } from './secret-box.js'
import { lazySecretBox, readSecretStoreKey, secretStoreKeyPath } from './secret-store-key.js'

describe('secret box', () => {
  const box = new SecretBox(randomBytes(32))
  const id = '2b1c4ec5-0e5b-4d69-8f36-1c3c2b1e9a55'

  it('when a payload is sealed, then it opens for the same id and holds no plaintext', () => {
    const plain = Buffer.from('-----BEGIN PRIVATE KEY----- not really')
    const sealed = box.seal(plain, id)
    assert.ok(!sealed.includes(plain.subarray(0, 16)))
    assert.equal(sealed.length, plain.length + 12 + 16)
    assert.deepEqual(box.open(sealed, id), plain)
  })

  it('when the same payload is sealed twice, then the nonces differ', () => {
    const a = box.seal(Buffer.from('same'), id)
    const b = box.seal(Buffer.from('same'), id)
    assert.notDeepEqual(a.subarray(0, 12), b.subarray(0, 12))
  })

  it('when opened for another id, with another key, or altered, then SecretBoxError', () => {
    const sealed = box.seal(Buffer.from('payload'), id)
    assert.throws(() => box.open(sealed, 'other-id'), SecretBoxError)
    assert.throws(() => new SecretBox(randomBytes(32)).open(sealed, id), SecretBoxError)
    const altered = Buffer.from(sealed)
    altered[14] ^= 1
    assert.throws(() => box.open(altered, id), SecretBoxError)
    assert.throws(() => box.open(Buffer.alloc(10), id), SecretBoxError)
  })

  it('when the key is not 32 bytes, then the box refuses it', () => {
    assert.throws(() => new SecretBox(randomBytes(16)), /32 bytes/)
  })
})

describe('secret store key', () => {
  const dir = mkdtempSync(join(tmpdir(), 'secret-key-'))
  after(() => rmSync(dir, { recursive: true, force: true }))

  it('when a key is configured, then it is used; one that is not base64 of 32 bytes is refused without being quoted', () => {
    const key = randomBytes(32)
    assert.deepEqual(readSecretStoreKey({ secretStoreKey: key.toString('base64'), stateDir: dir }), key)
    const short = randomBytes(16).toString('base64')
    assert.throws(() => readSecretStoreKey({ secretStoreKey: short, stateDir: dir }), (e: Error) =>
      /secret_store_key must be the base64 of 32/.test(e.message) && !e.message.includes(short))
    assert.throws(() => readSecretStoreKey({ secretStoreKey: 'not base64 at all!!', stateDir: dir }), /secret_store_key/)
  })

  it('when no key is configured, then a 0600 key file is created once and read again', () => {
    const stateDir = join(dir, 'fresh')
    const first = readSecretStoreKey({ secretStoreKey: '', stateDir })
    const path = secretStoreKeyPath(stateDir)
    assert.equal(statSync(path).mode & 0o777, 0o600)
    assert.equal(first.length, 32)
    assert.deepEqual(readSecretStoreKey({ secretStoreKey: '', stateDir }), first)
    assert.deepEqual(readFileSync(path), first)
  })

  it('when the key file is readable by others or has the wrong length, then a clear error names the file', () => {
    const stateDir = join(dir, 'bad')
    readSecretStoreKey({ secretStoreKey: '', stateDir })
    const path = secretStoreKeyPath(stateDir)
    chmodSync(path, 0o644)
    assert.throws(() => readSecretStoreKey({ secretStoreKey: '', stateDir }), (e: Error) => e.message.includes(path) && /0644/.test(e.message))
    writeFileSync(path, randomBytes(31), { mode: 0o600 })
    chmodSync(path, 0o600)
    assert.throws(() => readSecretStoreKey({ secretStoreKey: '', stateDir }), /holds 31 bytes/)
  })

  it('when a lazy box is made, then no key file exists until it is first used', () => {
    const stateDir = join(dir, 'lazy')
    const get = lazySecretBox({ secretStoreKey: '', stateDir })
    assert.throws(() => statSync(secretStoreKeyPath(stateDir)), /ENOENT/)
    const sealed = get().seal(Buffer.from('x'), 'id')
    assert.equal(statSync(secretStoreKeyPath(stateDir)).mode & 0o777, 0o600)
    assert.deepEqual(get().open(sealed, 'id'), Buffer.from('x'))
  })
})
