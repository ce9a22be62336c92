import type { Kysely } from 'kysely'

/**
 * Quotas, flavor profiles, flavors, availability zone profiles and
 * availability zones (Octavia's tables of the same names, plus a
 * `created_at` that gives lists their default order), and the indexes that
 * quota counting and in-use checks read: children by project, load
 * balancers by flavor and availability zone.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await quotaTable(db)
  await flavorTables(db)
  await availabilityZoneTables(db)
  await inUseIndexes(db)
}

/** Per-project quotas. */
async function quotaTable(db: Kysely<unknown>): Promise<void> {
  await db.schema.createTable('quota')
    .addColumn('project_id', 'varchar(36)', c => c.primaryKey())
    .addColumn('load_balancer', 'integer')
    .addColumn('listener', 'integer')
    .addColumn('pool', 'integer')
    .addColumn('health_monitor', 'integer')
    .addColumn('member', 'integer')
    .addColumn('l7policy', 'integer')
    .addColumn('l7rule', 'integer')
    .addColumn('created_at', 'varchar(32)', c => c.notNull())
    .addColumn('updated_at', 'varchar(32)')
    .execute()
}

/** Flavor profiles and flavors. */
async function flavorTables(db: Kysely<unknown>): Promise<void> {
  await db.schema.createTable('flavor_profile')
    .addColumn('id', 'varchar(36)', c => c.primaryKey())
    .addColumn('name', 'varchar(255)')
    .addColumn('provider_name', 'varchar(255)', c => c.notNull())
    .addColumn('flavor_data', 'varchar(4096)', c => c.notNull())
    .addColumn('created_at', 'varchar(32)', c => c.notNull())
    .execute()

  await db.schema.createTable('flavor')
    .addColumn('id', 'varchar(36)', c => c.primaryKey())
    .addColumn('name', 'varchar(255)', c => c.unique())
    .addColumn('description', 'varchar(255)')
    .addColumn('enabled', 'integer', c => c.notNull().defaultTo(1))
    .addColumn('flavor_profile_id', 'varchar(36)', c => c.notNull().references('flavor_profile.id'))
    .addColumn('created_at', 'varchar(32)', c => c.notNull())
    .execute()
  await db.schema.createIndex('flavor_profile_idx').on('flavor').column('flavor_profile_id').execute()
}

/** Availability zone profiles and availability zones. */
async function availabilityZoneTables(db: Kysely<unknown>): Promise<void> {
  await db.schema.createTable('availability_zone_profile')
    .addColumn('id', 'varchar(36)', c => c.primaryKey())
    .addColumn('name', 'varchar(255)')
    .addColumn('provider_name', 'varchar(255)', c => c.notNull())
    .addColumn('availability_zone_data', 'varchar(4096)', c => c.notNull())
    .addColumn('created_at', 'varchar(32)', c => c.notNull())
    .execute()

  await db.schema.createTable('availability_zone')
    .addColumn('name', 'varchar(255)', c => c.primaryKey())
    .addColumn('description', 'varchar(255)')
    .addColumn('enabled', 'integer', c => c.notNull().defaultTo(1))
    .addColumn('availability_zone_profile_id', 'varchar(36)', c => c.notNull().references('availability_zone_profile.id'))
    .addColumn('created_at', 'varchar(32)', c => c.notNull())
    .execute()
  await db.schema.createIndex('availability_zone_profile_idx').on('availability_zone')
    .column('availability_zone_profile_id').execute()
}

/** The indexes of quota counting and in-use checks. */
async function inUseIndexes(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('load_balancer_flavor_idx').on('load_balancer').column('flavor_id').execute()
  await db.schema.createIndex('load_balancer_az_idx').on('load_balancer').column('availability_zone').execute()
  for (const table of ['listener', 'pool', 'member', 'health_monitor', 'l7policy', 'l7rule']) {
    await db.schema.createIndex(`${table}_project_idx`).on(table).column('project_id').execute()
  }
}


export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['listener', 'pool', 'member', 'health_monitor', 'l7policy', 'l7rule']) {
    await db.schema.dropIndex(`${table}_project_idx`).ifExists().execute()
  }
  await db.schema.dropIndex('load_balancer_az_idx').ifExists().execute()
  await db.schema.dropIndex('load_balancer_flavor_idx').ifExists().execute()
  for (const t of ['availability_zone', 'availability_zone_profile', 'flavor', 'flavor_profile', 'quota']) {
    await db.schema.dropTable(t).ifExists().execute()
  }
}
