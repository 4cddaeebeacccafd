/**
 * usualstore-db migrate adopt against a real PostgreSQL 15: a database soda migrated to #24
 * (schema_migration, application rows, no pgmigrations) is taken over without running anything
 * or touching data; then `migrate up` applies only what came after. Refusals change nothing.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { cliOn, MIGRATIONS_DIR } from '../support/cli';
import { dataSnapshot, schemaSnapshot } from '../support/catalog';
import { createTestDatabase, withClient, type TestDatabase } from '../support/database';
import { PROJECT_MIGRATIONS, SODA_HISTORY } from '../support/migration-prefix';
import { expectOneLine, query } from './migrator-fixtures';
import { leaveEmptyPgmigrations, sodaDatabase } from './operations-fixtures';
import { tempDir } from '../support/temp';

const cli = (url: string, ...args: string[]) => cliOn(url, args);
const NAMES = PROJECT_MIGRATIONS;
/** `applied NAME (…)` for each migration after soda's history: what up runs once adopted. */
const afterSoda = () => NAMES.slice(SODA_HISTORY).map((name) => expect.stringMatching(new RegExp(`^applied ${name} \\(`)));

/** The schema and every row (soda's schema_migration included); bookkeeping is read apart. */
async function state(url: string) {
  return withClient(url, async (c) => ({
    schema: await schemaSnapshot(c),
    data: await dataSnapshot(c),
    ours: (await c.query(`SELECT to_regclass('public.pgmigrations')::text AS m, to_regclass('public.pgmigrations_checksums')::text AS c`))
      .rows[0],
  }));
}

describe('migrate adopt', () => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await sodaDatabase('ops_adopt');
  });
  afterEach(async () => {
    await db.drop();
  });

  it('records what soda applied, with checksums, runs nothing and touches no data; then up applies only what came after', async () => {
    const before = await state(db.url);
    expect(before.ours).toEqual({ m: null, c: null });
    expect(before.data.schema_migration).toHaveLength(24);
    expect(before.data.customers).toHaveLength(1);

    const adopt = await cli(db.url, 'migrate', 'adopt');
    expect(adopt.stderr).toBe('');
    expect(adopt.code).toBe(0);
    expect(adopt.stdout).toMatch(
      new RegExp(
        `^adopted postgres@\\S+: recorded 24 migrations soda applied as applied \\(not run; schema checked against what they create\\); now at ${NAMES[SODA_HISTORY - 1]} \\(24 migrations applied\\), ${NAMES.length - SODA_HISTORY} pending: run migrate plan, then migrate up\n$`,
      ),
    );

    const after = await state(db.url);
    expect(after.schema).toEqual(before.schema); // bookkeeping aside: nothing created, nothing altered
    expect(after.data).toEqual(before.data); // every row, soda's schema_migration included
    const recorded = await query<{ name: string; sha256: string }>(
      db.url,
      'SELECT m.name, c.sha256 FROM pgmigrations m JOIN pgmigrations_checksums c USING (name) ORDER BY m.run_on, m.id',
    );
    expect(recorded.map((r) => r.name)).toEqual(NAMES.slice(0, SODA_HISTORY));
    for (const { name, sha256 } of recorded) {
      expect(sha256).toBe(
        createHash('sha256')
          .update(fs.readFileSync(path.join(MIGRATIONS_DIR, `${name}.ts`)))
          .digest('hex'),
      );
    }

    const status = JSON.parse((await cli(db.url, 'migrate', 'status', '--json')).stdout);
    expect(status).toMatchObject({ applied: NAMES.slice(0, SODA_HISTORY), pending: NAMES.slice(SODA_HISTORY), edited: [], unrecorded: [] });

    const up = await cli(db.url, 'migrate', 'up');
    expect(up.code).toBe(0);
    expect(up.stdout.split('\n').filter((l) => l.startsWith('applied '))).toEqual(afterSoda());
    expect(await query(db.url, `SELECT email, role FROM users ORDER BY id`)).toEqual([
      { email: 'admin@example.com', role: 'admin' },
      { email: 'sam@example.com', role: 'user' },
    ]);
    // soda's table stays for the applications' tooling.
    expect(await query(db.url, 'SELECT count(*)::int AS n FROM schema_migration')).toEqual([{ n: 24 }]);
  });

  it('is harmless the second time: says so, exits 0, changes nothing', async () => {
    expect((await cli(db.url, 'migrate', 'adopt')).code).toBe(0);
    const bookkeeping = () =>
      query(
        db.url,
        'SELECT m.id, m.name, m.run_on, c.sha256, c.recorded_at FROM pgmigrations m JOIN pgmigrations_checksums c USING (name) ORDER BY m.id',
      );
    const once = await bookkeeping();
    const twice = await cli(db.url, 'migrate', 'adopt');
    expect(twice.code).toBe(0);
    expect(twice.stdout).toMatch(/^postgres@\S+ is already adopted: the 24 migrations soda applied are recorded; nothing to do\n$/);
    expect(await bookkeeping()).toEqual(once);
  });

  it('still adopts after a mistaken migrate up of an earlier release (which failed, leaving an empty pgmigrations)', async () => {
    await leaveEmptyPgmigrations(db.url);
    const mistaken = await cli(db.url, 'migrate', 'up');
    expect(mistaken.code).toBe(1);
    expect(expectOneLine(mistaken.stderr)).toMatch(
      /was migrated by soda \(schema_migration holds 24 versions\) and is not adopted yet; run `\.\/usualstore-db migrate adopt` first/,
    );
    expect((await cli(db.url, 'migrate', 'plan')).stderr).toMatch(
      /was migrated by soda \(schema_migration holds 24 versions\) and is not adopted yet; run `\.\/usualstore-db migrate adopt` first/,
    );
    expect((await cli(db.url, 'status', '--json')).stdout).toMatch(
      /"migrate up would refuse: \S+ was migrated by soda \(schema_migration holds 24 versions\) and is not adopted yet; run `\.\/usualstore-db migrate adopt` first/,
    );

    expect((await cli(db.url, 'migrate', 'adopt')).code).toBe(0);
    const up = await cli(db.url, 'migrate', 'up');
    expect(up.stdout.split('\n').filter((l) => l.startsWith('applied '))).toEqual(afterSoda());
  });

  it('refuses a version the project does not know, changing nothing', async () => {
    await withClient(db.url, (c) => c.query(`INSERT INTO schema_migration (version) VALUES ('20991231235959')`));
    const before = await state(db.url);
    const result = await cli(db.url, 'migrate', 'adopt');
    expect(result.code).toBe(1);
    expect(expectOneLine(result.stderr)).toMatch(
      /^usualstore-db: refusing to adopt: schema_migration holds version "20991231235959" that no migration in \S+ has .*; nothing was changed$/,
    );
    expect(await state(db.url)).toEqual(before);
  });

  it('refuses a schema that lacks a column or a table the applied migrations create, changing nothing', async () => {
    await withClient(db.url, (c) => c.query('ALTER TABLE tokens DROP COLUMN expiry'));
    const before = await state(db.url);
    const column = await cli(db.url, 'migrate', 'adopt');
    expect(column.code).toBe(1);
    expect(expectOneLine(column.stderr)).toMatch(
      /^usualstore-db: refusing to adopt postgres@\S+: the schema lacks what the migrations soda applied create: column tokens\.expiry \(timestamp without time zone NOT NULL DEFAULT CURRENT_TIMESTAMP\) is missing; nothing was changed$/,
    );
    expect(await state(db.url)).toEqual(before);

    await withClient(db.url, (c) => c.query('DROP TABLE support_sessions'));
    const table = await cli(db.url, 'migrate', 'adopt');
    expect(table.code).toBe(1);
    expect(expectOneLine(table.stderr)).toMatch(
      /: table support_sessions is missing; column tokens\.expiry \(.*\) is missing; nothing was changed$/,
    );
    expect((await state(db.url)).ours).toEqual({ m: null, c: null });
  });

  it('refuses a constraint or an index that is not there, and a column of another type', async () => {
    await withClient(db.url, async (c) => {
      await c.query('ALTER TABLE customers DROP CONSTRAINT customers_email_key');
      await c.query('ALTER TABLE widgets ALTER COLUMN name TYPE text');
    });
    const result = await cli(db.url, 'migrate', 'adopt');
    expect(result.code).toBe(1);
    const line = expectOneLine(result.stderr);
    expect(line).toContain('column widgets.name is text NOT NULL, the migrations make it character varying(255) NOT NULL');
    expect(line).toContain('constraint missing on customers: UNIQUE (email)');
    expect(line).toContain('index missing on customers: UNIQUE index USING btree (email)');
  });

  it('accepts the same objects under other names (soda may name constraints differently)', async () => {
    await withClient(db.url, (c) => c.query('ALTER TABLE customers RENAME CONSTRAINT customers_email_key TO customers_email_unique'));
    expect((await cli(db.url, 'migrate', 'adopt')).code).toBe(0);
  });

  it('adopts a soda database that went through backup and restore (PostgreSQL rewrites CHECK expressions)', async () => {
    const dir = tempDir('adopt-restored');
    const restored = await createTestDatabase('ops_adopt_restored');
    try {
      const file = path.join(dir, 'soda.dump');
      expect((await cli(db.url, 'backup', file)).code).toBe(0);
      expect((await cli(restored.url, 'restore', file)).code).toBe(0);
      const adopt = await cli(restored.url, 'migrate', 'adopt');
      expect(adopt.stderr).toBe('');
      expect(adopt.code).toBe(0);
    } finally {
      await restored.drop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says there is nothing to adopt without schema_migration', async () => {
    await withClient(db.url, (c) => c.query('DROP TABLE schema_migration'));
    const result = await cli(db.url, 'migrate', 'adopt');
    expect(result.code).toBe(1);
    expect(expectOneLine(result.stderr)).toMatch(
      /has no soda bookkeeping \(public\.schema_migration\): nothing to adopt; a new database needs only migrate up$/,
    );
  });
});
