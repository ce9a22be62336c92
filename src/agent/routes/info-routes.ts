import { hostname } from 'node:os'
import type { FastifyInstance } from 'fastify'
import type { AgentInfo, AgentRoot } from '../../drivers/amphora/agent-api.js'
import { haproxyVersion } from '../haproxy/haproxy-binary.js'

/** `GET /` and `GET /1.0/info`; the HAProxy version is read once. */
export function registerInfoRoutes(app: FastifyInstance, haproxyCmd: string): void {
  let version: Promise<string> | null = null
  app.get('/', async (): Promise<AgentRoot> => ({ api_version: '1.0' }))
  app.get('/1.0/info', async (): Promise<AgentInfo> => {
    version ??= haproxyVersion(haproxyCmd).catch((err: unknown) => { version = null; throw err })
    return { hostname: hostname(), haproxy_version: await version, api_version: '1.0' }
  })
}
