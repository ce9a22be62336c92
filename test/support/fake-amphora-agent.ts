import type { AmphoraStats } from '../../src/amphora-api/agent-api.js'
import type { AmphoraDriver } from '../../src/drivers/amphora/amphora-driver.js'
import { NoopAmphoraDriver } from '../../src/drivers/amphora/noop/noop-amphora-driver.js'

type Args<M extends keyof AmphoraDriver> = Parameters<AmphoraDriver[M]>

/**
 * The noop amphora driver (the agent's behaviour in memory: 404 for unknown
 * amphorae and load balancers, idempotent deletes, what would run) with what
 * flow tests add: every call recorded, a method failed on demand, `stats`
 * answered with what the test sets, an amphora lost behind the flows' back.
 */
export class FakeAmphoraAgent extends NoopAmphoraDriver {
  readonly calls: string[] = []
  /** Method name → error to throw on its next calls (until deleted). */
  readonly failures = new Map<keyof AmphoraDriver, Error>()
  /** Stats answered per amphora. */
  readonly statsOf = new Map<string, AmphoraStats>()

  /** The agent forgets `amphoraId` (its host lost it), unrecorded. */
  async lose(amphoraId: string): Promise<void> {
    await super.deleteAmphora({ host: 'lost' }, amphoraId)
  }

  #call(name: keyof AmphoraDriver, ...detail: unknown[]): void {
    this.calls.push(`${name} ${detail.join(' ')}`)
    const err = this.failures.get(name)
    if (err) throw err
  }

  override async registerAmphora(...a: Args<'registerAmphora'>) {
    this.#call('registerAmphora', a[1])
    return super.registerAmphora(...a)
  }

  override async getAmphora(...a: Args<'getAmphora'>) {
    this.#call('getAmphora', a[1])
    return super.getAmphora(...a)
  }

  override async deleteAmphora(...a: Args<'deleteAmphora'>) {
    this.#call('deleteAmphora', a[1])
    return super.deleteAmphora(...a)
  }

  override async uploadConfig(...a: Args<'uploadConfig'>) {
    this.#call('uploadConfig', a[1], a[2])
    return super.uploadConfig(...a)
  }

  override async uploadCertificates(...a: Args<'uploadCertificates'>) {
    this.#call('uploadCertificates', a[1], a[2], a[3].length)
    return super.uploadCertificates(...a)
  }

  override async getConfig(...a: Args<'getConfig'>) {
    this.#call('getConfig', a[1], a[2])
    return super.getConfig(...a)
  }

  override async action(...a: Args<'action'>) {
    this.#call('action', a[1], a[2], a[3])
    return super.action(...a)
  }

  override async deleteLoadBalancer(...a: Args<'deleteLoadBalancer'>) {
    this.#call('deleteLoadBalancer', a[1], a[2])
    return super.deleteLoadBalancer(...a)
  }

  override async updateServers(...a: Args<'updateServers'>) {
    this.#call('updateServers', a[1], a[2])
    return super.updateServers(...a)
  }

  override async stats(...a: Args<'stats'>) {
    this.#call('stats', a[1])
    const stats = await super.stats(...a)
    return this.statsOf.get(a[1]) ?? stats
  }

  override async putVrrp(...a: Args<'putVrrp'>) {
    this.#call('putVrrp', a[1])
    return super.putVrrp(...a)
  }

  override async vrrpAction(...a: Args<'vrrpAction'>) {
    this.#call('vrrpAction', a[1], a[2])
    return super.vrrpAction(...a)
  }

  override async vrrpStatus(...a: Args<'vrrpStatus'>) {
    this.#call('vrrpStatus', a[1])
    return super.vrrpStatus(...a)
  }
}
