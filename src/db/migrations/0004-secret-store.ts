import type { Kysely } from 'kysely'

/**
 * The local secret store (`[certificates] cert_manager = local`): Barbican's
 * secrets and containers, reduced to what its Key Manager v1 subset serves.
 *
 * `secret.payload_sealed`: the payload encrypted with AES-256-GCM, base64 of
 * `nonce ‖ ciphertext ‖ tag` (src/pki/secret-box.ts), authenticated with the
 * secret's id; null for a secret whose payload is still to come (Barbican's
 * two-step store). The plaintext is never written. Times are ISO-8601 text
 * as in every table; `expiration` too.
 *
 * `container_secret`: a container's references, by name (`certificate`,
 * `private_key`, …). Deleting a secret removes its references, as Barbican
 * does (the container stays, without that secret). No foreign key to
 * `secret`: the repository removes them in the same transaction.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createTable('secret')
    .addColumn('id', 'varchar(36)', c => c.primaryKey())
    .addColumn('project_id', 'varchar(255)', c => c.notNull())
    .addColumn('creator_id', 'varchar(255)')
    .addColumn('name', 'varchar(255)')
    .addColumn('secret_type', 'varchar(80)', c => c.notNull())
    .addColumn('algorithm', 'varchar(255)')
    .addColumn('bit_length', 'integer')
    .addColumn('mode', 'varchar(255)')
    .addColumn('expiration', 'varchar(32)')
    .addColumn('payload_content_type', 'varchar(255)')
    .addColumn('payload_content_encoding', 'varchar(255)')
    .addColumn('payload_sealed', 'text')
    .addColumn('status', 'varchar(20)', c => c.notNull())
    .addColumn('created_at', 'varchar(32)', c => c.notNull())
    .addColumn('updated_at', 'varchar(32)', c => c.notNull())
    .execute()
  await db.schema.createIndex('secret_project_idx').on('secret').columns(['project_id', 'created_at']).execute()

  await db.schema.createTable('secret_container')
    .addColumn('id', 'varchar(36)', c => c.primaryKey())
    .addColumn('project_id', 'varchar(255)', c => c.notNull())
    .addColumn('creator_id', 'varchar(255)')
    .addColumn('name', 'varchar(255)')
    .addColumn('type', 'varchar(20)', c => c.notNull())
    .addColumn('status', 'varchar(20)', c => c.notNull())
    .addColumn('created_at', 'varchar(32)', c => c.notNull())
    .addColumn('updated_at', 'varchar(32)', c => c.notNull())
    .execute()
  await db.schema.createIndex('secret_container_project_idx').on('secret_container').columns(['project_id', 'created_at']).execute()

  await db.schema.createTable('container_secret')
    .addColumn('container_id', 'varchar(36)', c => c.notNull().references('secret_container.id').onDelete('cascade'))
    .addColumn('name', 'varchar(255)', c => c.notNull())
    .addColumn('secret_id', 'varchar(36)', c => c.notNull())
    .addPrimaryKeyConstraint('container_secret_pk', ['container_id', 'name'])
    .execute()
  await db.schema.createIndex('container_secret_secret_idx').on('container_secret').column('secret_id').execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('container_secret').ifExists().execute()
  await db.schema.dropTable('secret_container').ifExists().execute()
  await db.schema.dropTable('secret').ifExists().execute()
}
