/**
 * Several `migrate up` at once (two deploys, or a deploy and a developer): they wait for one
 * another on the advisory lock, all succeed, and each migration is applied exactly once.
 */
import { Client } from 'pg';
import { runCli } from '../support/cli';
import { createTestDatabase, TestDatabase } from '../support/database';
import fs from 'node:fs';
import path from 'node:path';
import { appliedNames, BASIC, expectOneLine, makeMigrationsDir, query, removeDir, writeMigration } from './migrator-fixtures';

/** node-pg-migrate's lock id, which ours shares. */
const LOCK_ID = '7241865325823964';

describe('concurrent migrate up', () => {
  let db: TestDatabase;
  let dir: string;
  const up = (...extra: string[]) => runCli(['migrate', 'up', '--migrations-dir', dir, ...extra], { env: { DATABASE_URL: db.url } });

  beforeEach(async () => {
    db = await createTestDatabase('migrator_conc');
    dir = makeMigrationsDir([
      ...BASIC,
      // Slow enough that the other runs arrive while it holds the lock; the counter row shows
      // how many times it really ran.
      {
        name: '20240101000004_slow',
        up: "SELECT pg_sleep(1); CREATE TABLE runs (n int); INSERT INTO runs VALUES (1); INSERT INTO things (label) VALUES ('slow')",
        down: 'DROP TABLE runs',
      },
    ]);
  });
  afterEach(async () => {
    await db.drop();
    removeDir(dir);
  });

  it('three simultaneous runs all exit 0 and apply the schema exactly once', async () => {
    const results = await Promise.all([up(), up(), up()]);
    for (const r of results) {
      // The runs that wait say whom they wait for (after a second), and nothing else.
      for (const line of r.stderr.split('\n').filter(Boolean)) {
        expect(line).toMatch(
          /^usualstore-db: waiting for the migration lock on postgres@\S+ \(up to 60 s\), held by another migration run, pid \d+ \(user postgres, application "usualstore-db", (active|idle|idle in transaction) since .* UTC, last statement: .*\)$/,
        );
      }
      expect(r.code).toBe(0);
    }
    const appliers = results.filter((r) => /^migrated /m.test(r.stdout));
    expect(appliers).toHaveLength(1);
    expect(appliers[0].stdout).toMatch(/4 migrations applied/);
    for (const r of results.filter((x) => x !== appliers[0]))
      expect(r.stdout).toMatch(/is up to date, at 20240101000004_slow .*nothing to migrate\n$/);

    expect(await appliedNames(db.url)).toEqual([
      '20240101000001_create_things',
      '20240101000002_add_colour',
      '20240101000003_seed_things',
      '20240101000004_slow',
    ]);
    expect(await query(db.url, 'select count(*)::int as n from runs')).toEqual([{ n: 1 }]);
    expect(await query(db.url, 'select label from things order by id')).toEqual([{ label: 'first' }, { label: 'slow' }]);
  });

  it('with a CREATE INDEX CONCURRENTLY pending, the waiting runs hold nothing it waits for: all exit 0, the index valid, applied once', async () => {
    // The runs that arrive while the first holds the lock (the slow migration) must not sit in a
    // statement (a snapshot) while the first builds the index concurrently, which waits for every
    // older snapshot: PostgreSQL would call it a deadlock and fail the waiter.
    writeMigration(dir, { name: '20240101000005_index_concurrently', up: 'SELECT 1', down: 'SELECT 1' });
    fs.writeFileSync(
      path.join(dir, '20240101000005_index_concurrently.ts'),
      "export function up(pgm: any) { pgm.noTransaction(); pgm.sql('CREATE INDEX CONCURRENTLY things_label ON things (label)'); }\n",
    );
    const results = await Promise.all([up(), up(), up()]);
    expect(results.map((r) => [r.code, r.stderr.split('\n').filter((l) => l && !/waiting for the migration lock/.test(l))])).toEqual([
      [0, []],
      [0, []],
      [0, []],
    ]);
    expect(results.filter((r) => /^migrated /m.test(r.stdout))).toHaveLength(1);
    expect(await query(db.url, "SELECT i.indisvalid AS valid FROM pg_index i WHERE i.indexrelid = to_regclass('things_label')")).toEqual([
      { valid: true },
    ]);
    expect((await appliedNames(db.url)).filter((n) => n === '20240101000005_index_concurrently')).toHaveLength(1);
  });

  it('gives up after --lock-timeout with a clear message when another holder keeps the lock', async () => {
    const holder = new Client({ connectionString: db.url });
    await holder.connect();
    try {
      await holder.query(`select pg_advisory_lock(${LOCK_ID})`);
      const result = await up('--lock-timeout', '1');
      expect(result.code).toBe(1);
      expect(expectOneLine(result.stderr)).toMatch(
        /^usualstore-db: the migration lock on postgres@\S+ was held for more than 1 s \(lock timeout\) by a session that is not a migration run, pid \d+ \(user postgres, no application name, idle since \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC, last statement: select pg_advisory_lock\(7241865325823964\)\); let it finish and retry, or raise --lock-timeout$/,
      );
      expect(await query(db.url, "select to_regclass('public.things') is null as absent")).toEqual([{ absent: true }]);
    } finally {
      await holder.end();
    }
    // Once the holder is gone, the same command goes through.
    expect((await up()).code).toBe(0);
  });

  it('takes no lock when nothing is pending, so a held lock does not delay the no-op run', async () => {
    expect((await up()).code).toBe(0);
    const holder = new Client({ connectionString: db.url });
    await holder.connect();
    try {
      await holder.query(`select pg_advisory_lock(${LOCK_ID})`);
      const result = await up('--lock-timeout', '1');
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/nothing to migrate/);
    } finally {
      await holder.end();
    }
  });
});
