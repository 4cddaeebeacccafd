/**
 * A live database kept safe from its own migrations, against a real PostgreSQL 15: an index a
 * failed CREATE INDEX CONCURRENTLY left invalid is refused by migrate up (with the fix), and
 * named by status and drift; drift judges a database whose history holds CONCURRENTLY migrations.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { runCli } from '../support/cli';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { appliedNames, BASIC, expectOneLine, makeMigrationsDir, query, removeDir, writeMigration } from './migrator-fixtures';

/** A pgm.noTransaction() migration running `sql`. */
function writeOutsideTransaction(dir: string, name: string, sql: string): void {
  fs.writeFileSync(
    path.join(dir, `${name}.ts`),
    `export function up(pgm: any) { pgm.noTransaction(); pgm.sql(${JSON.stringify(sql)}); }\n`,
  );
}

describe('an index left invalid by a failed CREATE INDEX CONCURRENTLY', () => {
  let db: TestDatabase;
  let dir: string;
  const cli = (...args: string[]) => runCli([...args, '--migrations-dir', dir], { env: { DATABASE_URL: db.url } });
  const valid = async () =>
    query<{ valid: boolean }>(db.url, "SELECT indisvalid AS valid FROM pg_index WHERE indexrelid = to_regclass('things_label_unique')");

  beforeAll(async () => {
    db = await createTestDatabase('live_invalid');
    dir = makeMigrationsDir(BASIC);
    expect((await cli('migrate', 'up')).code).toBe(0);
    await query(db.url, "INSERT INTO things (label) VALUES ('twice'), ('twice')");
    writeOutsideTransaction(
      dir,
      '20240101000004_unique_label',
      'CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS things_label_unique ON things (label)',
    );
    const failed = await cli('migrate', 'up');
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/could not create unique index "things_label_unique"/);
    expect(await valid()).toEqual([{ valid: false }]);
    await query(db.url, "DELETE FROM things WHERE label = 'twice'");
  });
  afterAll(async () => {
    await db.drop();
    removeDir(dir);
  });

  it('migrate up refuses, saying how to fix it (its IF NOT EXISTS would skip the index for good); plan too', async () => {
    const up = await cli('migrate', 'up');
    expect(up.code).toBe(1);
    expect(expectOneLine(up.stderr)).toBe(
      'usualstore-db: refusing to migrate: index public.things_label_unique on things is invalid (left by a CREATE INDEX CONCURRENTLY that failed or was stopped; IF NOT EXISTS would skip it); drop it (DROP INDEX CONCURRENTLY public.things_label_unique), then migrate up again builds it anew',
    );
    expect((await cli('migrate', 'plan')).stderr).toBe(up.stderr);
  });

  it('status and drift name it', async () => {
    const status = JSON.parse((await cli('status', '--json')).stdout) as { warnings: string[] };
    expect(status.warnings).toEqual([
      expect.stringMatching(/^migrate up would refuse: index public\.things_label_unique on things is invalid/),
    ]);
    const drift = await cli('migrate', 'drift');
    expect(drift.code).toBe(2);
    expect(drift.stdout).toContain(
      'drift: index public.things_label_unique on things is invalid (a CREATE INDEX CONCURRENTLY failed or was stopped): drop it and build it again\n',
    );
  });

  it('once dropped, migrate up builds it, valid; drift then judges the history with its CONCURRENTLY migration', async () => {
    await query(db.url, 'DROP INDEX CONCURRENTLY things_label_unique');
    const up = await cli('migrate', 'up');
    expect(up.code).toBe(0);
    expect(await valid()).toEqual([{ valid: true }]);
    const drift = await cli('migrate', 'drift');
    expect(drift.stderr).toBe('');
    expect(drift.code).toBe(0);
    expect(drift.stdout).toMatch(/^no drift: /);
  });
});

describe('a migration that loses the lock race to a short application transaction', () => {
  let db: TestDatabase;
  let dir: string;
  let app: Client;
  const cli = (...args: string[]) => runCli([...args, '--migrations-dir', dir], { env: { DATABASE_URL: db.url } });

  beforeEach(async () => {
    db = await createTestDatabase('live_retry');
    dir = makeMigrationsDir(BASIC);
    expect((await cli('migrate', 'up')).code).toBe(0);
    // A short lock bound of its own, so the race is quick to lose.
    writeMigration(dir, {
      name: '20240101000004_add_retried',
      up: "SET LOCAL lock_timeout = '200ms'; ALTER TABLE things ADD COLUMN retried int",
      down: 'ALTER TABLE things DROP COLUMN retried',
    });
    app = new Client({ connectionString: db.url });
    await app.connect();
  });
  afterEach(async () => {
    await app.end();
    await db.drop();
    removeDir(dir);
  });

  /** The application reads the table in a transaction it keeps open for `ms`. */
  const holdFor = async (ms: number) => {
    await app.query('BEGIN');
    await app.query('SELECT count(*) FROM things');
    return new Promise<void>((resolve) => setTimeout(() => void app.query('COMMIT').then(() => resolve()), ms));
  };

  it('is tried again after a jittered pause, each try said on stderr, and applied once the application is done', async () => {
    const released = holdFor(1200);
    const up = await cli('migrate', 'up');
    await released;
    expect(up.code).toBe(0);
    const retries = up.stderr.split('\n').filter(Boolean);
    expect(retries.length).toBeGreaterThanOrEqual(1);
    for (const line of retries) {
      expect(line).toMatch(
        /^usualstore-db: 20240101000004_add_retried: a lock wait ran out \(lock_timeout\), rolled back; trying again in \d+(\.\d)? s \(retry [1-3] of 3\)$/,
      );
    }
    expect(up.stdout).toMatch(/^applied 20240101000004_add_retried /m);
    expect((await appliedNames(db.url)).filter((n) => n === '20240101000004_add_retried')).toHaveLength(1);
  });

  it('with --lock-retries 0, fails at the first lost race; nothing of it stays', async () => {
    const released = holdFor(1500);
    const up = await cli('migrate', 'up', '--lock-retries', '0');
    await released;
    expect(up.code).toBe(1);
    expect(expectOneLine(up.stderr)).toMatch(
      /migration 20240101000004_add_retried \(up\) failed and was rolled back: canceling statement due to lock timeout; SQLSTATE 55P03; it waited for a lock .*longer than lock_timeout .* \(not tried again: --lock-retries 0\)$/,
    );
    expect(await query(db.url, "SELECT 1 FROM information_schema.columns WHERE table_name = 'things' AND column_name = 'retried'")).toEqual(
      [],
    );
  });
});
