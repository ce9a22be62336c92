import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { loadConfig } from '../common/config/load.js'
import { localAgentNeeded } from './serve.js'

const config = (env: Record<string, string>) => loadConfig(undefined, env)
const providers = 'OCTAVIA_TS__api_settings__enabled_provider_drivers'

describe('localAgentNeeded', () => {
  it('when the amphora provider uses the REST amphora driver (the default), then the agent runs here', () => {
    assert.equal(localAgentNeeded(config({})), true)
    assert.equal(localAgentNeeded(config({ [providers]: 'octavia:Alias.' })), true)
  })
  it('when the amphora driver is amphora_noop_driver, then no agent runs', () => {
    assert.equal(localAgentNeeded(config({ OCTAVIA_TS__controller_worker__amphora_driver: 'amphora_noop_driver' })), false)
  })
  it('when no amphora provider is enabled, then no agent runs', () => {
    assert.equal(localAgentNeeded(config({ [providers]: 'noop_driver:Noop.', OCTAVIA_TS__api_settings__default_provider_driver: 'noop_driver' })), false)
  })
})
