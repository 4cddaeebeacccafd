/**
 * Every down is the exact inverse of its up: down-all leaves nothing but bookkeeping and a
 * second up-all rebuilds the identical schema and rows; and undoing migrations one at a time
 * passes back through exactly the states (schema and every row) that applying them went through.
 */
import { Client } from 'pg';
import { allRelations, dataSnapshot, schemaSnapshot } from '../support/catalog';
import { CliResult, MIGRATIONS_DIR, runCli } from '../support/cli';
import { createTestDatabase, TestDatabase } from '../support/database';
import { migrationFileNames, migrationPrefix } from '../support/migration-prefix';

async function migrate(db: TestDatabase, args: string[]): Promise<CliResult> {
  const result = await runCli(['migrate', ...args], { env: { DATABASE_URL: db.url } });
  if (result.code !== 0) throw new Error(`migrate ${args.join(' ')} failed (${result.code}): ${result.stderr}`);
  return result;
}

async function snapshot(client: Client, options: { ignoreClock?: boolean } = {}) {
  return { schema: await schemaSnapshot(client), data: await dataSnapshot(client, options) };
}

/** What is left once every migration is undone: node-pg-migrate's table, its sequence and key. */
const ONLY_BOOKKEEPING = /^[a-zA-Z] pgmigrations(_\w+)?$/;

describe('up -> down -> up', () => {
  let db: TestDatabase;
  let client: Client;

  beforeEach(async () => {
    db = await createTestDatabase('reversibility');
    client = new Client({ connectionString: db.url });
    await client.connect();
  });

  afterEach(async () => {
    await client?.end();
    await db?.drop();
  });

  test('down --all leaves only bookkeeping; up again rebuilds the same schema and rows', async () => {
    await migrate(db, ['up', '--migrations-dir', MIGRATIONS_DIR]);
    const first = await snapshot(client, { ignoreClock: true });
    expect(Object.keys(first.schema.columns)).toHaveLength(17); // the check can see something

    await migrate(db, ['down', '--all', '--yes', '--migrations-dir', MIGRATIONS_DIR]);
    const left = await allRelations(client);
    expect(left.filter((r) => !ONLY_BOOKKEEPING.test(r))).toEqual([]);
    expect(left).toContain('r pgmigrations');

    await migrate(db, ['up', '--migrations-dir', MIGRATIONS_DIR]);
    expect(await snapshot(client, { ignoreClock: true })).toEqual(first);
  });

  test('each down undoes exactly its own up, one at a time, all the way back', async () => {
    const names = migrationFileNames();
    const prefix = migrationPrefix();
    try {
      // On the way up: the state after each version (index 0: nothing applied yet).
      const states = [await snapshot(client)];
      for (let version = 1; version <= names.length; version++) {
        prefix.extendTo(version);
        await migrate(db, ['up', '--migrations-dir', prefix.dir]);
        states.push(await snapshot(client));
        // Each migration changes something, except #10, which finds orders.customer_id from #8.
        if (!names[version - 1].endsWith('_add_customer_id_to_orders_table.ts')) {
          expect({ version, changed: true }).toEqual({
            version,
            changed: JSON.stringify(states[version]) !== JSON.stringify(states[version - 1]),
          });
        }
      }
      // On the way down: back through the same states, schema and every row.
      for (let version = names.length; version >= 1; version--) {
        await migrate(db, ['down', '--count', '1', '--yes', '--migrations-dir', MIGRATIONS_DIR]);
        expect({ after: `down from ${names[version - 1]}`, ...(await snapshot(client)) }).toEqual({
          after: `down from ${names[version - 1]}`,
          ...states[version - 1],
        });
      }
      expect((await allRelations(client)).filter((r) => !ONLY_BOOKKEEPING.test(r))).toEqual([]);
    } finally {
      prefix.remove();
    }
  });
});
