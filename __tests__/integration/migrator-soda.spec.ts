/**
 * `migrate up` on a database soda migrated and nobody adopted yet (the deploy hook meeting an
 * existing volume): one line telling to run migrate adopt, non-zero exit, and the database
 * exactly as it was (no pgmigrations created). migrate plan says the same line. After adopt,
 * up works. A soda table holding no versions is no history to protect.
 */
import { cliOn } from '../support/cli';
import { dataSnapshot, schemaSnapshot } from '../support/catalog';
import { createTestDatabase, withClient, type TestDatabase } from '../support/database';
import { BASIC, appliedNames, expectOneLine, makeMigrationsDir, removeDir } from './migrator-fixtures';
import { leaveEmptyPgmigrations, sodaDatabase } from './operations-fixtures';
import { NEWEST_MIGRATION, PROJECT_MIGRATIONS, SODA_HISTORY } from '../support/migration-prefix';
import path from 'node:path';
import { PROJECT_ROOT } from '../support/cli';
import { runProcess } from '../support/process';

const cli = (url: string, ...args: string[]) => cliOn(url, args);

const REFUSAL =
  /^usualstore-db: postgres@\S+ was migrated by soda \(schema_migration holds 24 versions\) and is not adopted yet; run `\.\/usualstore-db migrate adopt` first \(see README\); nothing was changed$/;

/** The whole catalog outside the system schemas (bookkeeping included, which schemaSnapshot
 * leaves out), every row, and every namespace. */
async function catalog(url: string) {
  return withClient(url, async (c) => ({
    relations: (
      await c.query<{ r: string }>(
        `SELECT n.nspname || '.' || c.relname || ' ' || c.relkind::text AS r FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%' ORDER BY 1`,
      )
    ).rows.map((row) => row.r),
    namespaces: (await c.query<{ nspname: string }>('SELECT nspname FROM pg_namespace ORDER BY 1')).rows.map((row) => row.nspname),
    schema: await schemaSnapshot(c),
    data: await dataSnapshot(c),
    bookkeeping: (
      await c.query(`SELECT to_regclass('public.pgmigrations')::text AS m, to_regclass('public.pgmigrations_checksums')::text AS c`)
    ).rows[0],
  }));
}

describe('a database with the tables and no history (built from schema.sql)', () => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await createTestDatabase('from_schema_sql');
    // schema.sql makes the public schema itself.
    await withClient(db.url, (c) => c.query('DROP SCHEMA public'));
    const built = await runProcess(
      'psql',
      ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', db.url, '-f', path.join(PROJECT_ROOT, 'schema.sql')],
      {
        cwd: PROJECT_ROOT,
        env: process.env,
      },
    );
    expect(built.stderr).toBe('');
  });
  afterEach(async () => {
    await db.drop();
  });

  it('is refused before anything runs by migrate up, plan and status, naming migrate baseline; status says so; baseline takes it over', async () => {
    const before = await catalog(db.url);
    const up = await cli(db.url, 'migrate', 'up');
    expect(up.code).toBe(1);
    expect(expectOneLine(up.stderr)).toMatch(
      /^usualstore-db: postgres@\S+ has tables \(public\.\w+, .*\) but no migration history \(built by hand, or from schema\.sql\); take it over with `\.\/usualstore-db migrate baseline --to VERSION --reason …` \(VERSION: the newest migration its schema holds\), or migrate an empty database; nothing was changed$/,
    );
    expect(await catalog(db.url)).toEqual(before);
    for (const args of [
      ['migrate', 'plan'],
      ['migrate', 'status'],
    ]) {
      const result = await cli(db.url, ...args);
      expect({ args, code: result.code, stderr: result.stderr }).toEqual({ args, code: 1, stderr: up.stderr });
    }
    const status = await cli(db.url, 'status');
    expect(status.stdout + status.stderr).toMatch(/migrate up would refuse: .* migrate baseline --to VERSION/);
    expect(status.stdout + status.stderr).not.toMatch(/run \.\/usualstore-db migrate plan, then migrate up/);
    const baseline = await cli(db.url, 'migrate', 'baseline', '--to', NEWEST_MIGRATION, '--reason', 'built from schema.sql');
    expect(baseline.code).toBe(0);
    expect((await cli(db.url, 'migrate', 'up')).stdout).toMatch(/up to date/);
  });
});

describe('migrate up on a soda database not adopted', () => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await sodaDatabase('mig_soda');
  });
  afterEach(async () => {
    await db.drop();
  });

  it('refuses in one line and changes nothing; migrate plan says the same; after adopt, up applies only what came after soda', async () => {
    const before = await catalog(db.url);
    expect(before.bookkeeping).toEqual({ m: null, c: null });

    const up = await cli(db.url, 'migrate', 'up');
    expect(up.code).toBe(1);
    expect(expectOneLine(up.stderr)).toMatch(REFUSAL);
    expect(up.stdout).toBe('');
    expect(await catalog(db.url)).toEqual(before); // no pgmigrations, nothing else either

    const plan = await cli(db.url, 'migrate', 'plan');
    expect(plan.code).toBe(1);
    expect(expectOneLine(plan.stderr)).toBe(expectOneLine(up.stderr));
    expect(await catalog(db.url)).toEqual(before);

    // migrate status refuses it too (its table would list soda's history as pending).
    const status = await cli(db.url, 'migrate', 'status');
    expect(status.code).toBe(1);
    expect(expectOneLine(status.stderr)).toBe(expectOneLine(up.stderr));
    expect(status.stdout).toBe('');
    expect((await cli(db.url, 'migrate', 'status', '--json')).code).toBe(1);

    expect((await cli(db.url, 'migrate', 'adopt')).code).toBe(0);
    const after = await cli(db.url, 'migrate', 'up');
    expect(after.stderr).toBe('');
    expect(after.code).toBe(0);
    expect(after.stdout.split('\n').filter((l) => l.startsWith('applied '))).toEqual(
      PROJECT_MIGRATIONS.slice(SODA_HISTORY).map((name) => expect.stringMatching(new RegExp(`^applied ${name} \\(`))),
    );
    const again = await cli(db.url, 'migrate', 'up');
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(
      new RegExp(`is up to date, .*\\(${PROJECT_MIGRATIONS.length} migrations applied\\); nothing to migrate\n$`),
    );
  });

  it('refuses the same way when an earlier release left pgmigrations empty', async () => {
    await leaveEmptyPgmigrations(db.url);
    const before = await catalog(db.url);
    expect(before.bookkeeping).toEqual({ m: 'pgmigrations', c: null });

    const up = await cli(db.url, 'migrate', 'up');
    expect(up.code).toBe(1);
    expect(expectOneLine(up.stderr)).toMatch(REFUSAL);
    expect(await catalog(db.url)).toEqual(before); // in particular, no pgmigrations_checksums
  });
});

describe('migrate up beside an empty soda table', () => {
  it('migrates: schema_migration without versions is no history to re-run', async () => {
    const db = await createTestDatabase('mig_soda_empty');
    const dir = makeMigrationsDir(BASIC);
    try {
      await withClient(db.url, (c) => c.query('CREATE TABLE schema_migration (version character varying(14) NOT NULL)'));
      const up = await cli(db.url, 'migrate', 'up', '--migrations-dir', dir);
      expect(up.stderr).toBe('');
      expect(up.code).toBe(0);
      expect(await appliedNames(db.url)).toEqual(BASIC.map((m) => m.name));
    } finally {
      removeDir(dir);
      await db.drop();
    }
  });
});
