/**
 * Row types of every table, as Kysely sees them. Portable across SQLite and
 * PostgreSQL: booleans are integers 0/1, timestamps are ISO-8601 text
 * (`YYYY-MM-DDTHH:MM:SS.mmm`, UTC, sortable), lists and maps are JSON text.
 * Column names follow Octavia's database where one exists.
 */
import type { AdditionalVipRow, HealthMonitorRow, L7PolicyRow, L7RuleRow, ListenerRow, LoadBalancerRow, MemberRow, PoolRow, TagRow, VipRow } from './rows/resource-rows.js'
import type { ContainerSecretRow, SecretContainerRow, SecretRow } from './rows/secret-rows.js'
import type { AmphoraHealthRow, AmphoraRow, AvailabilityZoneProfileRow, AvailabilityZoneRow, FlavorProfileRow, FlavorRow, JobRow, ListenerStatisticsRow, PortRow, QuotaRow } from './rows/operation-rows.js'

export type * from './rows/resource-rows.js'
export type * from './rows/operation-rows.js'
export type * from './rows/secret-rows.js'

/** Every table, by name, as Kysely sees the database. */
export interface DB {
  load_balancer: LoadBalancerRow
  vip: VipRow
  additional_vip: AdditionalVipRow
  listener: ListenerRow
  pool: PoolRow
  member: MemberRow
  health_monitor: HealthMonitorRow
  l7policy: L7PolicyRow
  l7rule: L7RuleRow
  tag: TagRow
  listener_statistics: ListenerStatisticsRow
  amphora: AmphoraRow
  amphora_health: AmphoraHealthRow
  port: PortRow
  job: JobRow
  quota: QuotaRow
  flavor_profile: FlavorProfileRow
  flavor: FlavorRow
  availability_zone_profile: AvailabilityZoneProfileRow
  availability_zone: AvailabilityZoneRow
  secret: SecretRow
  secret_container: SecretContainerRow
  container_secret: ContainerSecretRow
}
