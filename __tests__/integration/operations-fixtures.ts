/**
 * Databases in the states the operations commands meet in real life, built with the real CLI:
 * migrated to version N, or migrated by soda (schema_migration, no pgmigrations), with some
 * application data in them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { MIGRATIONS_DIR, runCli } from '../support/cli';
import { createTestDatabase, templateDatabase, withClient, type TestDatabase } from '../support/database';
import { migrationFileNames, migrationPrefix, SODA_HISTORY } from '../support/migration-prefix';

/** Rows an application would have written: a customer with an order, a second back-office user. */
export const APPLICATION_ROWS = `
  INSERT INTO customers (first_name, last_name, email) VALUES ('Ada', 'Lovelace', 'ada@example.com');
  INSERT INTO transactions (amount, currency, last_four, transaction_status_id) VALUES (1000, 'usd', '4242', 2);
  INSERT INTO orders (widget_id, transaction_id, status_id, quantity, amount, customer_id)
    VALUES (1, currval('transactions_id_seq'), 1, 1, 1000, currval('customers_id_seq'));
  INSERT INTO users (first_name, last_name, email, password) VALUES ('Sam', 'Support', 'sam@example.com', '$2a$12$' || repeat('x', 53));`;

/**
 * A fresh database with the first `count` project migrations applied by `migrate up` (all by
 * default): a copy of a template that the real CLI migrated once per test run.
 */
export async function migratedDatabase(prefix: string, count?: number): Promise<TestDatabase> {
  const names = migrationFileNames().slice(0, count ?? migrationFileNames().length);
  // The key covers the files' contents: an edited migration builds a new template.
  const digest = createHash('sha256');
  for (const name of names) digest.update(name).update(fs.readFileSync(path.join(MIGRATIONS_DIR, name)));
  const template = await templateDatabase(`migrated_${names.length}_${digest.digest('hex').slice(0, 12)}`, async (url) => {
    const dir = migrationPrefix();
    try {
      dir.extendTo(names.length);
      const up = await runCli(['migrate', 'up', '--migrations-dir', dir.dir], { env: { DATABASE_URL: url } });
      if (up.code !== 0) throw new Error(`migrate up failed: ${up.stderr}`);
    } finally {
      dir.remove();
    }
  });
  return createTestDatabase(prefix, template);
}

/** The first 14 digits of the project's first `count` migrations: what soda would have recorded. */
export function sodaVersions(count: number): string[] {
  return migrationFileNames()
    .slice(0, count)
    .map((name) => name.slice(0, 14));
}

/**
 * What soda leaves: migrations 1..count applied, its schema_migration table (pop's exact
 * definition) holding their versions, no node-pg-migrate bookkeeping, and application rows.
 */
export async function sodaDatabase(prefix: string, count = SODA_HISTORY): Promise<TestDatabase> {
  const db = await migratedDatabase(prefix, count);
  await withClient(db.url, async (client) => {
    await client.query('DROP TABLE pgmigrations, pgmigrations_checksums');
    await client.query('CREATE TABLE schema_migration (version character varying(14) NOT NULL)');
    await client.query('CREATE UNIQUE INDEX schema_migration_version_idx ON schema_migration USING btree (version)');
    for (const version of sodaVersions(count)) await client.query('INSERT INTO schema_migration (version) VALUES ($1)', [version]);
    await client.query(APPLICATION_ROWS);
  });
  return db;
}

/** What a failed `migrate up` of an earlier release left in a soda database: node-pg-migrate's
 * pgmigrations (its exact definition), empty. */
export async function leaveEmptyPgmigrations(url: string): Promise<void> {
  await withClient(url, (c) =>
    c.query('CREATE TABLE pgmigrations (id SERIAL PRIMARY KEY, name varchar(255) NOT NULL, run_on timestamp NOT NULL)'),
  );
}
