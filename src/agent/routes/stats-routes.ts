import type { FastifyInstance } from 'fastify'
import type { AmphoraStats } from '../../drivers/amphora/agent-api.js'
import type { Logger } from '../../common/logging.js'
import type { AmphoraHost } from '../amphora-host.js'
import { addStatRows, parseShowStat } from '../haproxy/show-stat.js'
import { socketCommand } from '../haproxy/runtime-socket.js'

/**
 * `GET /amphorae/{amp}/1.0/stats`: `show stat` of every running HAProxy of
 * the amphora, merged. A HAProxy that does not answer is left out (logged).
 */
export function registerStatsRoutes(app: FastifyInstance, host: AmphoraHost, log: Logger): void {
  app.get<{ Params: { amp: string } }>('/amphorae/:amp/1.0/stats', async (req): Promise<AmphoraStats> => {
    const out: { listeners: Record<string, AmphoraStats['listeners'][string]>; pools: Record<string, AmphoraStats['pools'][string]> } =
      { listeners: {}, pools: {} }
    for (const lb of await host.runningLoadBalancers(req.params.amp)) {
      try {
        addStatRows(parseShowStat(await socketCommand(lb.paths.statsSocket, 'show stat')), out)
      } catch (err) {
        log.warn({ err, amphoraId: req.params.amp, lbId: lb.id }, 'no statistics from haproxy')
      }
    }
    return out
  })
}
