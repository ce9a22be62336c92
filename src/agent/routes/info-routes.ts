import { hostname } from 'node:os'
import type { FastifyInstance } from 'fastify'
import type { AgentInfo, AgentRoot } from '../../amphora-api/agent-api.js'
import { haproxyVersion } from '../haproxy/haproxy-binary.js'
import { keepalivedVersion } from '../keepalived/keepalived-binary.js'

/**
 * `GET /` and `GET /1.0/info`; the HAProxy version is read on the first
 * request (asked again after a failure), the keepalived version on the first
 * request only: `keepalived_version` is left out when keepalived is not
 * installed.
 */
export function registerInfoRoutes(app: FastifyInstance, haproxyCmd: string, keepalivedCmd: string): void {
  let version: Promise<string> | null = null
  let keepalived: Promise<string | null> | null = null
  app.get('/', async (): Promise<AgentRoot> => ({ api_version: '1.0' }))
  app.get('/1.0/info', async (): Promise<AgentInfo> => {
    version ??= haproxyVersion(haproxyCmd).catch((err: unknown) => { version = null; throw err })
    keepalived ??= keepalivedVersion(keepalivedCmd).catch(() => null)
    const keepalivedVersionText = await keepalived
    return {
      hostname: hostname(), haproxy_version: await version, api_version: '1.0',
      ...(keepalivedVersionText === null ? {} : { keepalived_version: keepalivedVersionText }),
    }
  })
}
