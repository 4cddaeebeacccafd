/**
 * A live database kept safe from its own migrations, against a real PostgreSQL 15: an index a
 * failed CREATE INDEX CONCURRENTLY left invalid is refused by migrate up (with the fix), and
 * named by status and drift; drift judges a database whose history holds CONCURRENTLY migrations.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { cliFor, runCli } from '../support/cli';
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
  const cli = cliFor(() => ({ url: db.url, migrationsDir: dir }));
  const valid = async () =>
    query<{ valid: boolean }>(db.url, "SELECT indisvalid AS valid FROM pg_index WHERE indexrelid = to_regclass('things_label_unique')");

  beforeAll(async () => {
    db = await createTestDatabase('safety_invalid');
    dir = makeMigrationsDir(BASIC);
    expect((await cli('migrate', 'up')).code).toBe(0);
    await query(db.url, "INSERT INTO things (label) VALUES ('twice'), ('twice')");
    writeOutsideTransaction(
      dir,
      '20240101000004_unique_label',
      'CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS things_label_unique ON things (label)',
    );
    // The migrator drops what its own failed build leaves (below); a build stopped another way
    // (by hand, a killed session) leaves the index INVALID.
    await expect(query(db.url, 'CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS things_label_unique ON things (label)')).rejects.toThrow(
      /could not create unique index "things_label_unique"/,
    );
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

describe('CREATE INDEX CONCURRENTLY: its own bound for older transactions, and nothing INVALID left behind', () => {
  let db: TestDatabase;
  let dir: string;
  let app: Client | undefined;
  const cli = cliFor(() => ({ url: db.url, migrationsDir: dir }));
  const indexes = async () =>
    query<{ name: string; valid: boolean }>(
      db.url,
      "SELECT c.relname AS name, i.indisvalid AS valid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname LIKE 'things_label%' ORDER BY 1",
    );
  /** An application transaction that began before the build and stays open: what the build waits for. */
  const openTransaction = async () => {
    app = new Client({ connectionString: db.url, application_name: 'shop-app' });
    await app.connect();
    await app.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
    await app.query('SELECT count(*) FROM things');
  };

  beforeEach(async () => {
    db = await createTestDatabase('safety_cic');
    dir = makeMigrationsDir(BASIC);
    expect((await cli('migrate', 'up')).code).toBe(0);
  });
  afterEach(async () => {
    await app?.end().catch(() => {});
    app = undefined;
    await db.drop();
    removeDir(dir);
  });

  it('waits for an older transaction longer than lock_timeout (5 s) without failing, reads and writes going on', async () => {
    writeOutsideTransaction(dir, '20240101000004_index_label', 'CREATE INDEX CONCURRENTLY things_label ON things (label)');
    await openTransaction();
    const up = cli('migrate', 'up');
    // Meanwhile the table is neither read- nor write-locked.
    await new Promise((resolve) => setTimeout(resolve, 6000));
    await query(db.url, "INSERT INTO things (label) VALUES ('during the build')");
    await app!.query('COMMIT');
    const result = await up;
    expect(result.stderr).not.toMatch(/failed/);
    expect(result.code).toBe(0);
    expect(await indexes()).toEqual([{ name: 'things_label', valid: true }]);
  }, 30000);

  it('past --index-wait, drops the INVALID index it left, says so, and tries again once the transaction is gone', async () => {
    writeOutsideTransaction(dir, '20240101000004_index_label', 'CREATE INDEX CONCURRENTLY things_label ON things (label)');
    await openTransaction();
    setTimeout(() => void app?.query('COMMIT'), 1500);
    const result = await cli('migrate', 'up', '--index-wait', '1');
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(
      /^usualstore-db: dropped the INVALID index public\.things_label that the failed CREATE INDEX CONCURRENTLY left$/m,
    );
    expect(result.stderr).toMatch(/20240101000004_index_label: a lock wait ran out \(lock_timeout\), rolled back; trying again in /);
    expect(await indexes()).toEqual([{ name: 'things_label', valid: true }]);
  }, 30000);

  it('one that fails for good (duplicate rows for a unique index) leaves no INVALID index: the next run is not refused', async () => {
    await query(db.url, "INSERT INTO things (label) VALUES ('twice'), ('twice')");
    writeOutsideTransaction(dir, '20240101000004_unique_label', 'CREATE UNIQUE INDEX CONCURRENTLY things_label_unique ON things (label)');
    const failed = await cli('migrate', 'up');
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(
      /^usualstore-db: dropped the INVALID index public\.things_label_unique that the failed CREATE INDEX CONCURRENTLY left$/m,
    );
    expect(await indexes()).toEqual([]);
    await query(db.url, "DELETE FROM things WHERE label = 'twice'");
    expect((await cli('migrate', 'up')).code).toBe(0);
    expect(await indexes()).toEqual([{ name: 'things_label_unique', valid: true }]);
  }, 30000);
});

describe('a migration that loses the lock race to a short application transaction', () => {
  let db: TestDatabase;
  let dir: string;
  let app: Client;
  const cli = cliFor(() => ({ url: db.url, migrationsDir: dir }));

  beforeEach(async () => {
    db = await createTestDatabase('safety_retry');
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

describe('migrate plan: what each statement locks, measured, beside squawk', () => {
  let db: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    db = await createTestDatabase('safety_locks');
    dir = makeMigrationsDir([
      ...BASIC,
      {
        name: '20240101000004_more_tables',
        up: 'CREATE TABLE retyped (id serial PRIMARY KEY); CREATE TABLE indexed (label text); CREATE TABLE widened (id int)',
      },
    ]);
    expect((await runCli(['migrate', 'up', '--migrations-dir', dir], { env: { DATABASE_URL: db.url } })).code).toBe(0);
    // One statement per table: in one transaction, a lock an earlier statement holds hides the next one's.
    writeMigration(dir, {
      name: '20240101000005_known_answers',
      up: 'ALTER TABLE retyped ALTER COLUMN id TYPE bigint; CREATE INDEX indexed_label ON indexed (label); ALTER TABLE widened ADD COLUMN note text',
    });
    writeOutsideTransaction(dir, '20240101000006_concurrently', 'CREATE INDEX CONCURRENTLY things_colour ON things (colour)');
  });
  afterAll(async () => {
    await db.drop();
    removeDir(dir);
  });

  it("gives PostgreSQL 15's known answers, beside squawk's", async () => {
    const before = await query(db.url, "SELECT relname, relfilenode FROM pg_class WHERE relname IN ('retyped', 'things') ORDER BY 1");
    const plan = await runCli(['migrate', 'plan', '--migrations-dir', dir], { env: { DATABASE_URL: db.url } });
    expect(plan.stderr).toBe('');
    expect(plan.code).toBe(2);
    const out = plan.stdout;
    // ALTER COLUMN TYPE: ACCESS EXCLUSIVE, and the table rewritten (its index too).
    expect(out).toContain(
      'ALTER TABLE retyped ALTER COLUMN id TYPE bigint;\n--   locks: ACCESS EXCLUSIVE on retyped (blocks reads and writes), ACCESS EXCLUSIVE on retyped_pkey (blocks reads and writes); rewrote retyped\n--   squawk: changing-column-type (warning)\n',
    );
    // CREATE INDEX: SHARE (writes wait).
    expect(out).toContain(
      'CREATE INDEX indexed_label ON indexed (label);\n--   locks: SHARE on indexed (blocks writes); no rewrite\n--   squawk: require-concurrent-index-creation (warning)\n',
    );
    // ADD COLUMN without a default: ACCESS EXCLUSIVE, briefly: no rewrite.
    expect(out).toContain(
      'ALTER TABLE widened ADD COLUMN note text;\n--   locks: ACCESS EXCLUSIVE on widened (blocks reads and writes); no rewrite\n',
    );
    // CREATE INDEX CONCURRENTLY: SHARE UPDATE EXCLUSIVE, measured on a scratch copy.
    expect(out).toContain(
      'CREATE INDEX CONCURRENTLY things_colour ON things (colour);\n--   locks: SHARE UPDATE EXCLUSIVE on things (reads and writes go on), measured on a scratch copy\n',
    );
    // Nothing left behind: the tables' files, the scratch schema, the indexes.
    expect(await query(db.url, "SELECT relname, relfilenode FROM pg_class WHERE relname IN ('retyped', 'things') ORDER BY 1")).toEqual(
      before,
    );
    expect(await query(db.url, "SELECT nspname FROM pg_namespace WHERE nspname LIKE 'usualstore_%'")).toEqual([]);
    expect(await query(db.url, "SELECT relname FROM pg_class WHERE relname IN ('indexed_label', 'things_colour')")).toEqual([]);
  });

  it('says what the transaction already holds when a statement asks for nothing new', async () => {
    const other = makeMigrationsDir(BASIC);
    try {
      writeMigration(other, {
        name: '20240101000009_two_on_one_table',
        up: 'ALTER TABLE things ADD COLUMN a int; ALTER TABLE things ADD COLUMN b int',
      });
      const plan = await runCli(['migrate', 'plan', '--migrations-dir', other], { env: { DATABASE_URL: db.url } });
      expect(plan.stdout).toContain(
        'ALTER TABLE things ADD COLUMN b int;\n--   locks: none new (this transaction already holds ACCESS EXCLUSIVE on things)\n',
      );
    } finally {
      removeDir(other);
    }
  });

  it('flags a rewrite squawk expects and PostgreSQL does not do (a varchar made longer)', async () => {
    const other = makeMigrationsDir(BASIC);
    try {
      writeMigration(other, { name: '20240101000009_longer_label', up: 'ALTER TABLE things ALTER COLUMN label TYPE varchar(100)' });
      await query(db.url, 'ALTER TABLE things ALTER COLUMN label TYPE varchar(50)');
      const plan = await runCli(['migrate', 'plan', '--migrations-dir', other], { env: { DATABASE_URL: db.url } });
      expect(plan.stdout).toContain(
        "--   locks: ACCESS EXCLUSIVE on things (blocks reads and writes); no rewrite\n--   squawk: changing-column-type (warning)\n--   DISAGREE: squawk's changing-column-type expects a table rewrite; PostgreSQL rewrote nothing here\n",
      );
    } finally {
      removeDir(other);
      await query(db.url, 'ALTER TABLE things ALTER COLUMN label TYPE text');
    }
  });
});
