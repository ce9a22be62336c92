import { createAmphoraAgent } from '../agent/create-agent.js'
import type { AgentServer } from '../agent/agent-server.js'
import { resolveHeartbeatKey } from '../amphora-api/heartbeat-key.js'
import { ApiServer } from '../api/api-server.js'
import type { ApiDeps } from '../api/deps.js'
import type { Bus } from '../bus/bus.js'
import { createBus, jobPollIntervalMs } from '../bus/create-bus.js'
import type { Config } from '../common/config/schema.js'
import type { Logger } from '../common/logging.js'
import type { Runnable } from '../common/runnable.js'
import type { Database, Executor } from '../db/database.js'
import { createAmphoraDriver } from '../drivers/amphora/registry.js'
import { createDataPlane, type DataPlane } from '../drivers/network/create-data-plane.js'
import { createNetworkService } from '../drivers/network/registry.js'
import { DataPlaneHostSetup } from '../drivers/network/host-setup.js'
import { HealthManager, type HealthManagerTuning } from '../health-manager/health-manager.js'
import { CertRotation } from '../housekeeping/cert-rotation.js'
import { DatabaseCleanup } from '../housekeeping/db-cleanup.js'
import { OrphanAmphorae } from '../housekeeping/orphan-amphorae.js'
import { createAgentClient } from '../drivers/amphora/rest/create-agent-client.js'
import { localAgentEndpoint } from '../drivers/create-amphora-flow-deps.js'
import type { NetworkService } from '../model/network-service.js'
import { createWorker } from '../worker/create-worker.js'
import type { RetryPolicy } from '../worker/engine/runner.js'
import type { AmphoraFlowDeps } from '../drivers/amphora-flow-deps.js'
import { createCertificateManager } from '../drivers/certificates/registry.js'
import type { CertificateManager } from '../model/certificate-manager.js'
import { createProviderRegistry, defaultProviderDeps, type ProviderRegistry } from '../worker/providers/registry.js'

/** What a composition is made from; everything but config, database and log has a default. */
export interface CompositionInput {
  readonly config: Config
  readonly database: Database
  readonly log: Logger
  /** Default: the bus `[oslo_messaging] transport_url` selects (empty: a new in-process bus). */
  readonly bus?: Bus
  /** The amphora provider's drivers (tests hand in fakes); default: built from the configuration on first use. */
  readonly amphora?: () => AmphoraFlowDeps
  /** Provider drivers; default: the ones enabled in `[api_settings] enabled_provider_drivers`. */
  readonly providers?: ProviderRegistry
  /** The certificate manager; default: `[certificates] cert_manager`. */
  readonly certificates?: CertificateManager
  /** The worker's task retry policy; default: the runner's. */
  readonly retry?: RetryPolicy
  /** The worker's lease owner id; default: `<hostname>/<pid>/<random>`. */
  readonly workerId?: string
}

/**
 * The parts of octavia-ts, wired once: the shared services (bus, network
 * driver, provider drivers) are built here, each component by its factory.
 * `serve`, the split commands, the test harnesses and the benches all build
 * their processes from this; nothing else constructs a component.
 */
export interface Composition {
  readonly config: Config
  readonly database: Database
  readonly log: Logger
  readonly bus: Bus
  readonly network: NetworkService<Executor>
  readonly providers: ProviderRegistry
  /** The amphora provider's drivers, shared by the worker's flows. */
  readonly amphora: () => AmphoraFlowDeps
  /** What the API is built from (buildApi for in-process requests). */
  readonly apiDeps: ApiDeps
  /** The API listening on `[api_settings] bind_host:bind_port`. */
  api(): ApiServer
  /** The controller worker. */
  worker(): Runnable
  /** This host's compute and data-plane network drivers (`[controller_worker] compute_driver`), built once. */
  dataPlane(): DataPlane
  /** This host prepared for amphorae (netns: the declared bridges). */
  hostSetup(): Runnable
  /** This host's amphora agent; `agentConfig` replaces the configuration (tests learn the health manager's port late). */
  agent(agentConfig?: Config): AgentServer
  /** The health manager; `settings` replace `[health_manager]` (tests bind port 0). */
  healthManager(settings?: Config['health_manager'], tuning?: HealthManagerTuning): Promise<HealthManager>
  /** Housekeeping: purge of expired rows, agent certificate rotation (through the amphora driver's renewal when it has one). */
  housekeeping(): Runnable[]
  /**
   * Housekeeping's sweep of this host's orphan amphorae (OrphanAmphorae),
   * for local amphorae only (compute_driver netns or loopback with this
   * host's agent); null otherwise. Started with the worker (whose host the
   * amphorae are), after the agent.
   */
  orphanAmphorae(): OrphanAmphorae | null
}

/**
 * Wires the parts of one process (see Composition). Builds nothing that touches the host or the network
 * (a RabbitMQ bus connects on first use). Throws TransportUrlError for an unusable transport_url.
 */
export function compose(input: CompositionInput): Composition {
  const { config, database, log } = input
  const bus = input.bus ?? createBus(config, log)
  // A bus handed in (tests) keeps the fast poll; a broker makes the poll a slow safety net.
  const pollIntervalMs = input.bus ? undefined : jobPollIntervalMs(config)
  const network = createNetworkService(config)
  const certificates = input.certificates ?? createCertificateManager(config, { database, log })
  const amphora = input.amphora ?? defaultProviderDeps(config, log, certificates).amphora
  const providers = input.providers ?? createProviderRegistry(config,
    name => log.warn({ provider: name }, 'enabled provider driver is not implemented; its jobs fail'), { log, amphora })
  const apiDeps: ApiDeps = { config, database, bus, network, providers, certificates, log }
  let plane: DataPlane | null = null
  const dataPlane = (): DataPlane => (plane ??= createDataPlane(config, { log }))
  return {
    config, database, log, bus, network, providers, amphora, apiDeps,
    api: () => new ApiServer(apiDeps),
    worker: () => createWorker({ config, database, bus, network, providers, log, retry: input.retry, workerId: input.workerId, pollIntervalMs }),
    dataPlane,
    hostSetup: () => new DataPlaneHostSetup(dataPlane().network, log),
    agent: (agentConfig = config) => createAmphoraAgent(agentConfig, log),
    healthManager: async (settings = config.health_manager, tuning) => new HealthManager(settings,
      { database, bus, log, heartbeatKey: await resolveHeartbeatKey({ ...config, health_manager: settings }) }, tuning),
    housekeeping: () => [
      new DatabaseCleanup(config.house_keeping, { database, log }),
      new CertRotation(config, { database, log, rotate: createAmphoraDriver(config).renewCertificate }),
    ],
    orphanAmphorae: () => {
      const compute = dataPlane()
      if (compute.computeDriver !== 'netns' && compute.computeDriver !== 'loopback') return null
      return new OrphanAmphorae(config.house_keeping, {
        database, log, compute: compute.compute, agent: () => createAgentClient(config), endpoint: localAgentEndpoint(config),
      })
    },
  }
}
