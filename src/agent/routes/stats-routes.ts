import type { FastifyInstance } from 'fastify'
import type { AmphoraStats } from '../../amphora-api/agent-api.js'
import type { Logger } from '../../common/logging.js'
import type { AmphoraHost } from '../amphora-host.js'
import { readAmphoraStats } from '../amphora-stats.js'

/**
 * `GET /amphorae/{amp}/1.0/stats`: `show stat` of every running HAProxy of
 * the amphora, merged (absolute counters). A HAProxy that does not answer is
 * left out (logged).
 */
export function registerStatsRoutes(app: FastifyInstance, host: AmphoraHost, log: Logger): void {
  app.get<{ Params: { amp: string } }>('/amphorae/:amp/1.0/stats', async (req): Promise<AmphoraStats> => {
    const sources = (await host.runningLoadBalancers(req.params.amp)).map((lb) => ({ lbId: lb.id, statsSocket: lb.paths.statsSocket }))
    const { stats, failures } = await readAmphoraStats(sources)
    for (const f of failures) log.warn({ err: f.error, amphoraId: req.params.amp, lbId: f.lbId }, 'no statistics from haproxy')
    return stats
  })
}
