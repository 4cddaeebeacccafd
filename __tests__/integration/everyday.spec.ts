/**
 * The everyday operations, against a real PostgreSQL 15: migrate up/down --to, baseline of a
 * database built by hand, reset (one transaction, guarded) and seed (idempotent).
 */
import fs from 'node:fs';
import path from 'node:path';
import { cliFor, runCli, startCli } from '../support/cli';
import { closedPort } from '../support/ports';
import { dataSnapshot, schemaSnapshot } from '../support/catalog';
import { createTestDatabase, withClient, type TestDatabase } from '../support/database';
import { PROJECT_MIGRATIONS } from '../support/migration-prefix';
import { appliedNames, BASIC, expectOneLine, makeMigrationsDir, query, removeDir, writeMigration } from './migrator-fixtures';
import { migratedDatabase } from './operations-fixtures';
import { ELAPSED } from '../support/text';

describe('migrate up --to and migrate down --to', () => {
  let db: TestDatabase;
  let dir: string;
  const cli = cliFor(() => ({ url: db.url, migrationsDir: dir }));

  beforeEach(async () => {
    db = await createTestDatabase('everyday_to');
    dir = makeMigrationsDir(BASIC);
  });
  afterEach(async () => {
    await db.drop();
    removeDir(dir);
  });

  it('up --to applies the pending ones up to and including the one named (by version or name), and says so when past it', async () => {
    const up = await cli('migrate', 'up', '--to', '20240101000002');
    expect(up.code).toBe(0);
    expect(await appliedNames(db.url)).toEqual(BASIC.slice(0, 2).map((m) => m.name));
    expect(up.stdout).toMatch(/now at 20240101000002_add_colour \(2 migrations applied\)$/m);
    const again = await cli('migrate', 'up', '--to', '20240101000001_create_things');
    expect(again.stdout).toMatch(
      /is at or past 20240101000001_create_things, at 20240101000002_add_colour \(2 migrations applied\); nothing to migrate/,
    );
    const unknown = await cli('migrate', 'up', '--to', '20990101000000');
    expect(unknown.code).toBe(1);
    expect(expectOneLine(unknown.stderr)).toMatch(
      /^usualstore-db: --to 20990101000000: no such migration in \S+ \(give its version or its name\)$/,
    );
  });

  it('down --to shows what goes and asks, then reverts those after it; it stays', async () => {
    expect((await cli('migrate', 'up')).code).toBe(0);
    const asked = await cli('migrate', 'down', '--to', '20240101000001');
    expect(expectOneLine(asked.stderr)).toMatch(
      /not confirmed: revert 2 migrations of postgres@\S+, newest first: 20240101000003_seed_things, 20240101000002_add_colour/,
    );
    const down = await cli('migrate', 'down', '--to', '20240101000001', '--yes');
    expect(down.code).toBe(0);
    expect(await appliedNames(db.url)).toEqual([BASIC[0].name]);
    expect((await cli('migrate', 'down', '--to', '20240101000001', '--yes')).stdout).toMatch(
      /is at 20240101000001 already; nothing to revert/,
    );
    const notApplied = await cli('migrate', 'down', '--to', '20240101000003', '--yes');
    expect(expectOneLine(notApplied.stderr)).toMatch(
      /20240101000003 is not an applied migration of postgres@\S+; migrate down --to takes one that stays applied/,
    );
    const both = await cli('migrate', 'down', '--to', '20240101000001', '--count', '1');
    expect(expectOneLine(both.stderr)).toBe('usualstore-db: migrate down takes one of --count N, --to VERSION or --all');
  });
});

describe('migrate baseline --to', () => {
  let db: TestDatabase;
  let dir: string;
  const cli = cliFor(() => ({ url: db.url, migrationsDir: dir }));

  beforeEach(async () => {
    db = await createTestDatabase('everyday_baseline');
    dir = makeMigrationsDir(BASIC);
    // Built by hand (or another tool): the first two migrations' schema, no bookkeeping.
    await query(db.url, "CREATE TABLE things (id serial PRIMARY KEY, label text NOT NULL, colour text NOT NULL DEFAULT 'red')");
  });
  afterEach(async () => {
    await db.drop();
    removeDir(dir);
  });

  it('records the migrations up to VERSION as applied, without running them, once the schema holds what they build; audited', async () => {
    const noReason = await cli('migrate', 'baseline', '--to', '20240101000002');
    expect(expectOneLine(noReason.stderr)).toBe('usualstore-db: migrate baseline needs --reason TEXT (why, for the audit trail)');
    const result = await cli('migrate', 'baseline', '--to', '20240101000002', '--reason', 'built by the old Makefile');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^baselined postgres@\S+ at 20240101000002_add_colour: recorded 2 migrations as applied \(not run; schema checked against what they build; kept in public\.pgmigrations_audit\); now at 20240101000002_add_colour \(2 migrations applied\), 1 pending: run migrate plan, then migrate up$/m,
    );
    expect(await query(db.url, 'SELECT action, name, reason FROM pgmigrations_audit ORDER BY id')).toEqual([
      { action: 'baseline', name: '20240101000001_create_things', reason: 'built by the old Makefile' },
      { action: 'baseline', name: '20240101000002_add_colour', reason: 'built by the old Makefile' },
    ]);
    expect((await cli('migrate', 'up')).stdout).toMatch(/^applied 20240101000003_seed_things /m);
    // A database with a history is not baselined again.
    const twice = await cli('migrate', 'baseline', '--to', '20240101000002', '--reason', 'again');
    expect(expectOneLine(twice.stderr)).toMatch(/refusing to baseline postgres@\S+: it already records 3 applied migrations/);
  });

  it('refuses, changing nothing, when the schema lacks what the migrations up to VERSION build', async () => {
    await query(db.url, 'ALTER TABLE things DROP COLUMN colour');
    const refused = await cli('migrate', 'baseline', '--to', '20240101000002', '--reason', 'x');
    expect(refused.code).toBe(1);
    expect(expectOneLine(refused.stderr)).toMatch(
      /refusing to baseline postgres@\S+ at 20240101000002_add_colour: the schema lacks what the migrations up to it build: column things\.colour \(text NOT NULL DEFAULT 'red'::text\) is missing; nothing was changed$/,
    );
    expect(await query(db.url, "SELECT to_regclass('public.pgmigrations') IS NULL AS none")).toEqual([{ none: true }]);
  });
});

describe('reset and seed', () => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await migratedDatabase('everyday_reset');
  });
  afterEach(async () => {
    await db.drop();
  });
  const cli = cliFor(() => ({ url: db.url }));

  it('seed applies the demo data in one transaction; twice gives the same rows', async () => {
    const first = await cli('seed');
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(
      new RegExp(
        String.raw`^seeded postgres@\S+ with 2 seeds \(10_demo_customers, 20_demo_orders\) in ${ELAPSED}; one transaction, applying them again changes nothing\n$`,
      ),
    );
    const once = await withClient(db.url, (c) => dataSnapshot(c, { ignoreClock: true }));
    expect(once.customers).toHaveLength(2);
    expect(once.orders).toHaveLength(2);
    expect((await cli('seed')).code).toBe(0);
    expect(await withClient(db.url, (c) => dataSnapshot(c, { ignoreClock: true }))).toEqual(once);
  });

  it("production/remove-demo-rows.sql, through shell as documented, removes the historical migrations' demo rows; twice changes nothing", async () => {
    const sql = fs.readFileSync(path.join(__dirname, '..', '..', 'production', 'remove-demo-rows.sql'), 'utf8');
    const shell = () => runCli(['shell'], { env: { DATABASE_URL: db.url }, input: sql });
    const demo = () =>
      query<{ what: string }>(
        db.url,
        `SELECT 'admin' AS what FROM users WHERE email = 'admin@example.com' UNION ALL SELECT 'payment' FROM transactions WHERE payment_intent = 'intent123' ORDER BY 1`,
      );
    expect(await demo()).toEqual([{ what: 'admin' }, { what: 'payment' }]);
    // The demo admin is the only user: it stays (nobody could administer the shop otherwise).
    expect((await shell()).code).toBe(0);
    expect(await demo()).toEqual([{ what: 'admin' }]);
    await query(db.url, `INSERT INTO users (first_name, last_name, email, password) VALUES ('Real', 'Admin', 'ops@usualstore.test', 'x')`);
    expect((await shell()).code).toBe(0);
    expect(await demo()).toEqual([]);
    const after = await withClient(db.url, (c) => dataSnapshot(c, { ignoreClock: true }));
    expect(after.widgets).toHaveLength(2);
    expect((await shell()).code).toBe(0);
    expect(await withClient(db.url, (c) => dataSnapshot(c, { ignoreClock: true }))).toEqual(after);
  });

  it('reset drops everything, applies every migration from zero and seeds, in one transaction; asks first', async () => {
    await query(
      db.url,
      "CREATE TABLE scratch_by_hand (x int); INSERT INTO customers (first_name, last_name, email) VALUES ('Real', 'Person', 'real@example.com')",
    );
    const asked = await cli('reset');
    expect(asked.code).toBe(1);
    expect(expectOneLine(asked.stderr)).toMatch(
      /^usualstore-db: not confirmed: reset postgres@\S+: drop the public schema with \d+ tables and every row in it, apply \d+ migrations from zero, then 2 seeds; pass --yes/,
    );
    expect(await query(db.url, "SELECT count(*)::int AS n FROM customers WHERE email = 'real@example.com'")).toEqual([{ n: 1 }]);

    const reset = await cli('reset', '--yes');
    expect(reset.stderr).toBe('');
    expect(reset.code).toBe(0);
    expect(reset.stdout).toMatch(
      new RegExp(
        `^reset postgres@\\S+ in [\\d.]+ m?s: dropped \\d+ tables, applied ${PROJECT_MIGRATIONS.length} migrations from zero \\(now at ${PROJECT_MIGRATIONS.at(-1)}\\), 2 seeds; one transaction\\n$`,
      ),
    );
    expect(await query(db.url, "SELECT to_regclass('public.scratch_by_hand') IS NULL AS gone")).toEqual([{ gone: true }]);
    expect(await query(db.url, 'SELECT email FROM customers ORDER BY email')).toEqual([
      { email: 'ada@demo.usualstore.test' },
      { email: 'alan@demo.usualstore.test' },
    ]);
    // The schema is what migrate up builds, and the migrator agrees it is up to date.
    const fresh = await migratedDatabase('everyday_reset_ref');
    try {
      const [ours, reference] = await Promise.all([withClient(db.url, schemaSnapshot), withClient(fresh.url, schemaSnapshot)]);
      expect(ours).toEqual(reference);
    } finally {
      await fresh.drop();
    }
    expect((await cli('migrate', 'status', '--check')).code).toBe(0);
  });

  it('asks only once the server answers', async () => {
    const url = new URL(db.url);
    url.port = String(await closedPort());
    const unreachable = await runCli(['reset'], { env: { DATABASE_URL: url.toString() } });
    expect(unreachable.code).toBe(1);
    expect(expectOneLine(unreachable.stderr)).toMatch(new RegExp(`^usualstore-db: nothing is listening on 127\\.0\\.0\\.1:${url.port}`));
  });

  it('refuses a database that is not clearly a development one unless its name is typed out, changing nothing', async () => {
    const url = new URL(db.url);
    url.hostname = 'db.production.example';
    const remote = await runCli(['reset', '--yes'], { env: { DATABASE_URL: url.toString() } });
    expect(remote.code).toBe(1);
    expect(expectOneLine(remote.stderr)).toMatch(
      /^usualstore-db: refusing to reset postgres@db\.production\.example:\d+\/everyday_reset_\w+: it is not clearly a development database \(db\.production\.example is not this machine\); if it is one to reset all the same, type its name: --confirm-database everyday_reset_\w+; nothing was changed$/,
    );
    const prodLike = await createTestDatabase('usualstore_production');
    try {
      const refused = await runCli(['seed'], { env: { DATABASE_URL: prodLike.url } });
      expect(expectOneLine(refused.stderr)).toMatch(
        /refusing to seed postgres@\S+: it is not clearly a development database \(its name, usualstore_production_\w+, says production\)/,
      );
      const wrongName = await runCli(['seed', '--confirm-database', 'other'], { env: { DATABASE_URL: prodLike.url } });
      expect(expectOneLine(wrongName.stderr)).toMatch(
        /--confirm-database other does not name the target's database \(usualstore_production_\w+\); nothing was changed$/,
      );
    } finally {
      await prodLike.drop();
    }
  });

  it('killed mid-way, leaves the database as it was, and says so', async () => {
    const dir = makeMigrationsDir(BASIC);
    try {
      writeMigration(dir, { name: '20240101000004_slow', up: 'SELECT pg_sleep(30)' });
      const before = await withClient(db.url, (c) => dataSnapshot(c));
      const running = startCli(['reset', '--yes', '--migrations-dir', dir], { env: { DATABASE_URL: db.url } });
      // Wait until the reset sits in the slow migration, then stop it.
      for (let i = 0; i < 100; i++) {
        const rows = await query<{ n: number }>(
          db.url,
          "SELECT count(*)::int AS n FROM pg_stat_activity WHERE query LIKE '%pg_sleep(30)%' AND pid <> pg_backend_pid()",
        );
        if (rows[0].n > 0) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      running.child.kill('SIGTERM');
      const result = await running.done;
      expect(result.code).toBe(143);
      expect(expectOneLine(result.stderr)).toMatch(
        /^usualstore-db: interrupted by SIGTERM: the reset of postgres@\S+ was stopped; its one transaction rolls back: the database is as it was$/,
      );
      // The server ends the session within a second (client_connection_check_interval).
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(await withClient(db.url, (c) => dataSnapshot(c))).toEqual(before);
      expect(fs.existsSync(path.join(dir, '20240101000004_slow.ts'))).toBe(true);
    } finally {
      removeDir(dir);
    }
  });
});
