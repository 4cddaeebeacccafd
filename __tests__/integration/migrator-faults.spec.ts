/**
 * The migrator under faults, against a real PostgreSQL 15: an application holding a table, the
 * command killed or signalled while it waits, refusals by the server, a server restarted mid-run,
 * a clock stepped back, and mistakes that used to pass silently. Each test is one numbered item
 * of the faults issue; signals go to the real process, locks are held by real second sessions.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { cliFor, eventually, runCli, startCli } from '../support/cli';
import { createTestDatabase, serverUrl, TestDatabase, urlFor, withClient } from '../support/database';
import { startTestServer, type TestServer } from '../support/test-server';
import { appliedNames, BASIC, expectOneLine, makeMigrationsDir, query, removeDir, writeMigration } from './migrator-fixtures';
import { tempDir } from '../support/temp';

const LOCK_ID = '7241865325823964';
const ALTER = {
  name: '20240101000004_add_size',
  up: 'ALTER TABLE things ADD COLUMN size integer',
  down: 'ALTER TABLE things DROP COLUMN size',
};

async function connectAs(url: string, application: string): Promise<Client> {
  const client = new Client({ connectionString: url, application_name: application });
  await client.connect();
  return client;
}

/** The migrator's sessions on the database, and whether one of them waits for a lock. */
async function migratorSessions(url: string): Promise<{ pid: number; waiting: boolean }[]> {
  return query<{ pid: number; waiting: boolean }>(
    url,
    "select pid, wait_event_type = 'Lock' as waiting from pg_stat_activity where application_name = 'usualstore-db' and datname = current_database()",
  );
}

async function migrationLockFree(url: string): Promise<boolean> {
  return withClient(url, async (c) => {
    const { rows } = await c.query<{ got: boolean }>(`select pg_try_advisory_lock(${LOCK_ID}) as got`);
    if (rows[0].got) await c.query(`select pg_advisory_unlock(${LOCK_ID})`);
    return rows[0].got;
  });
}

describe('a migration that needs a table an application holds', () => {
  let db: TestDatabase;
  let dir: string;
  let app: Client;
  const up = (...extra: string[]) => runCli(['migrate', 'up', '--migrations-dir', dir, ...extra], { env: { DATABASE_URL: db.url } });

  beforeEach(async () => {
    db = await createTestDatabase('faults_lock');
    dir = makeMigrationsDir(BASIC);
    expect((await up()).code).toBe(0);
    writeMigration(dir, ALTER);
    // An application transaction that has read the table and stays open (idle in transaction).
    app = await connectAs(db.url, 'shop-app');
    await app.query('BEGIN');
    await app.query('SELECT count(*) FROM things');
  });
  afterEach(async () => {
    await app.end().catch(() => {});
    await db.drop();
    removeDir(dir);
  });

  it('(1, 7) gives up after lock_timeout, naming the holder, and the table stays readable', async () => {
    // One try: the retries after a lost lock race are tested in live-safety.spec.
    const running = up('--lock-retries', '0');
    // An application read that arrives while the ALTER waits queues behind it, until it gives up.
    await eventually(async () => (await migratorSessions(db.url)).some((s) => s.waiting), 'the migration to wait for its lock');
    const reader = await connectAs(db.url, 'shop-reader');
    const read = reader.query<{ n: number }>("SET statement_timeout = '20s'; SELECT count(*)::int AS n FROM things");
    const result = await running;
    const [, readResult] = (await read) as unknown as [unknown, { rows: { n: number }[] }];
    await reader.end();
    expect(readResult.rows).toEqual([{ n: 1 }]);

    expect(result.code).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines[0]).toMatch(
      /^usualstore-db: waiting for a lock held by pid \d+ \(user postgres, application "shop-app", idle in transaction since \S+ \S+ UTC, last statement: SELECT count\(\*\) FROM things\) \(at most lock_timeout, 5 s unless the migration sets it\)$/,
    );
    expect(lines.at(-1)).toMatch(
      /^usualstore-db: migration 20240101000004_add_size \(up\) failed and was rolled back: canceling statement due to lock timeout; in 20240101000004_add_size\.ts: ALTER TABLE things ADD COLUMN size integer; SQLSTATE 55P03; it waited for a lock held by pid \d+ \(user postgres, application "shop-app", .*\) longer than lock_timeout \(5 s unless the migration sets it\): retry when that session is done, or raise it in the migration \(SET LOCAL lock_timeout\) \(not tried again: --lock-retries 0\)$/,
    );
    expect(result.stdout).toMatch(
      /^stopped after 0 migrations of 1 pending; postgres@\S+ is at 20240101000003_seed_things \(3 migrations applied\)$/m,
    );
    await app.query('ROLLBACK');
    expect((await up()).code).toBe(0);
  });

  it('(1) a migration may raise its own lock_timeout on purpose, and runs with the documented bounds', async () => {
    fs.rmSync(path.join(dir, `${ALTER.name}.ts`));
    writeMigration(dir, {
      name: '20240101000004_record_bounds',
      up: "CREATE TABLE bounds AS SELECT current_setting('lock_timeout') AS lock, current_setting('statement_timeout') AS statement; SET LOCAL lock_timeout = '30s'; ALTER TABLE things ADD COLUMN size integer",
    });
    const running = up();
    await eventually(async () => (await migratorSessions(db.url)).some((s) => s.waiting), 'the migration to wait for its lock');
    await new Promise((resolve) => setTimeout(resolve, 6000)); // longer than the default bound
    await app.query('ROLLBACK');
    const result = await running;
    expect(result.code).toBe(0);
    expect(await query(db.url, 'select lock, statement from bounds')).toEqual([{ lock: '5s', statement: '5min' }]);
  }, 30000);

  it('(2) a killed run releases its session, its locks and the migration lock within seconds', async () => {
    const running = startCli(['migrate', 'up', '--migrations-dir', dir], { env: { DATABASE_URL: db.url } });
    await eventually(async () => (await migratorSessions(db.url)).some((s) => s.waiting), 'the migration to wait for its lock');
    running.child.kill('SIGKILL');
    await running.done;
    const killedAt = Date.now();
    // client_connection_check_interval (1 s) ends the orphaned session; without it, it would
    // wait for the lock for ever, keeping the migration lock and queueing the application.
    await eventually(async () => (await migratorSessions(db.url)).length === 0, 'the killed run to leave the server', 5000);
    expect(await migrationLockFree(db.url)).toBe(true);
    expect(Date.now() - killedAt).toBeLessThan(5000);
    await app.query('ROLLBACK');
    expect((await up()).code).toBe(0);
  });

  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const)('(3) %s: exits %i saying what was interrupted and where the database is', async (signal, code) => {
    const running = startCli(['migrate', 'up', '--migrations-dir', dir], { env: { DATABASE_URL: db.url } });
    await eventually(async () => (await migratorSessions(db.url)).some((s) => s.waiting), 'the migration to wait for its lock');
    running.child.kill(signal);
    const result = await running.done;
    expect(result.code).toBe(code);
    expect(result.stderr.trim().split('\n').at(-1)).toMatch(
      new RegExp(
        `^usualstore-db: interrupted by ${signal}: 20240101000004_add_size was not applied \\(the server rolls back its transaction when the connection closes\\); postgres@\\S+ is at 20240101000003_seed_things \\(3 migrations applied\\)$`,
      ),
    );
    expect(result.stdout).not.toMatch(/^applied /m);
    await eventually(async () => (await migratorSessions(db.url)).length === 0, 'the interrupted run to leave the server', 5000);
    expect(await appliedNames(db.url)).toEqual(BASIC.map((m) => m.name));
  });
});

describe('refusals by the server are one line, never "unexpected error"', () => {
  let db: TestDatabase;
  let dir: string;
  const role = `faults_${randomBytes(3).toString('hex')}`;
  const up = (url: string) => runCli(['migrate', 'up', '--migrations-dir', dir], { env: { DATABASE_URL: url } });

  beforeEach(async () => {
    db = await createTestDatabase('faults_refuse');
    dir = makeMigrationsDir(BASIC);
  });
  afterEach(async () => {
    await db.drop();
    removeDir(dir);
    await withClient(serverUrl(), (c) => c.query(`DROP ROLE IF EXISTS ${role}`));
  });

  it('(6) a read-only database', async () => {
    await withClient(serverUrl(), (c) => c.query(`ALTER DATABASE "${db.name}" SET default_transaction_read_only = on`));
    const result = await up(db.url);
    expect(result.code).toBe(1);
    expect(expectOneLine(result.stderr)).toMatch(
      /^usualstore-db: postgres@\S+ is read-only \(a standby, or default_transaction_read_only is on\): cannot execute CREATE TABLE in a read-only transaction; SQLSTATE 25006; point the command at the primary$/,
    );
  });

  it('(6) a user without the privileges on the schema, or on pgmigrations', async () => {
    await withClient(serverUrl(), (c) => c.query(`CREATE ROLE ${role} LOGIN PASSWORD 'pw'`));
    const asRole = urlFor(db.name, { user: role, password: 'pw' });
    let result = await up(asRole);
    expect(result.code).toBe(1);
    expect(expectOneLine(result.stderr)).toMatch(
      /^usualstore-db: \S+ refused: permission denied for schema public; SQLSTATE 42501; the user needs that privilege/,
    );

    expect((await up(db.url)).code).toBe(0);
    removeDir(dir);
    dir = makeMigrationsDir([...BASIC, ALTER]);
    result = await up(asRole);
    expect(result.code).toBe(1);
    expect(expectOneLine(result.stderr)).toMatch(
      /^usualstore-db: \S+ refused: permission denied for table pgmigrations; SQLSTATE 42501; the user needs that privilege/,
    );
  });

  it('(6) a statement that runs past statement_timeout', async () => {
    writeMigration(dir, { name: '20240101000004_slow', up: "SET LOCAL statement_timeout = '200ms'; SELECT pg_sleep(2)" });
    const result = await up(db.url);
    expect(result.code).toBe(1);
    expect(expectOneLine(result.stderr)).toMatch(
      /^usualstore-db: migration 20240101000004_slow \(up\) failed and was rolled back: canceling statement due to statement timeout; SQLSTATE 57014; statement_timeout \(300 s unless the migration sets it\) ended it: raise it in the migration \(SET LOCAL statement_timeout\) if it must run longer$/,
    );
    expect(result.stdout).toMatch(
      /^stopped after 3 migrations of 4 pending; postgres@\S+ is at 20240101000003_seed_things \(3 migrations applied\)$/m,
    );
  });
});

describe('a server restarted (immediate shutdown, as a crash) in the middle of a run', () => {
  let server: TestServer;
  let dir: string;
  beforeAll(async () => {
    server = await startTestServer();
    // Slow enough that the restart lands in the middle of the run.
    dir = makeMigrationsDir(
      Array.from({ length: 60 }, (_, i) => ({
        name: `202401010${String(i + 1).padStart(5, '0')}_t${i + 1}`,
        up: `CREATE TABLE t${i + 1} (id int); SELECT pg_sleep(0.04)`,
      })),
    );
  });
  afterAll(async () => {
    await server?.stop();
    removeDir(dir);
  });

  it('(10, 6) every migration reported as applied survived; the run stops in one line saying where it is', async () => {
    for (const [round, after] of [5, 20, 40].entries()) {
      const name = `crash_${round}`;
      await withClient(server.url, (c) => c.query(`CREATE DATABASE ${name}`));
      const url = new URL(server.url);
      url.pathname = `/${name}`;
      const running = startCli(['migrate', 'up', '--migrations-dir', dir], { env: { DATABASE_URL: url.toString() } });
      await eventually(async () => (running.output().stdout.match(/^applied /gm)?.length ?? 0) >= after, `${after} migrations applied`);
      await server.restartImmediately();
      const result = await running.done;
      const reported = [...result.stdout.matchAll(/^applied (\S+) /gm)].map((m) => m[1]);
      const survived = await eventually(async () => appliedNames(url.toString()).catch(() => undefined), 'the restarted server');
      expect(survived.slice(0, reported.length)).toEqual(reported);
      if (result.code !== 0) {
        expect(result.code).toBe(1);
        expect(expectOneLine(result.stderr)).toMatch(
          /^usualstore-db: (migration \S+ \(up\) failed( and was rolled back)?: (the connection to the server was lost \((Connection terminated unexpectedly|read ECONNRESET)\): the server restarted, or something ended the session|terminating connection .*SQLSTATE 57P01)|the connection to postgres@\S+ was lost .*|postgres@\S+ ended the session .*)$/,
        );
        expect(result.stdout).toMatch(
          new RegExp(
            `^stopped after ${reported.length} migrations of 60 pending; postgres@\\S+ is at ${reported.at(-1)} \\(${reported.length} migrations applied\\)$`,
            'm',
          ),
        );
      }
      // And the next run finishes the job.
      expect((await runCli(['migrate', 'up', '--migrations-dir', dir], { env: { DATABASE_URL: url.toString() } })).code).toBe(0);
    }
  }, 90000);
});

describe('no silent no-ops', () => {
  let db: TestDatabase;
  let dir: string;
  const up = (migrationsDir: string) => runCli(['migrate', 'up', '--migrations-dir', migrationsDir], { env: { DATABASE_URL: db.url } });

  beforeEach(async () => {
    db = await createTestDatabase('faults_noop');
    dir = makeMigrationsDir(BASIC);
    expect((await up(dir)).code).toBe(0);
  });
  afterEach(async () => {
    await db.drop();
    removeDir(dir);
  });

  it('(8) an empty or foreign --migrations-dir against applied migrations is refused, changing nothing', async () => {
    const empty = tempDir('empty');
    const foreign = makeMigrationsDir([{ name: '20250101000001_other', up: 'CREATE TABLE other (id int)' }]);
    try {
      let result = await up(empty);
      expect(result.code).toBe(1);
      expect(expectOneLine(result.stderr)).toBe(
        `usualstore-db: ${db.url.replace(/^postgres:\/\/([^:]+):[^@]*@/, '$1@').replace(/^postgres:\/\//, '')} has 3 applied migrations (newest 20240101000003_seed_things), but ${empty} has no migration files; is --migrations-dir right? nothing was changed`,
      );
      result = await up(foreign);
      expect(result.code).toBe(1);
      expect(expectOneLine(result.stderr)).toMatch(
        /has 3 applied migrations \(newest 20240101000003_seed_things\), but \S+ has none of them \(1 other files\); is --migrations-dir right\? nothing was changed$/,
      );
      expect(await query(db.url, "select to_regclass('public.other') is null as absent")).toEqual([{ absent: true }]);
    } finally {
      removeDir(empty);
      removeDir(foreign);
    }
  });

  it('(8) an applied migration whose file is gone is mentioned even when nothing is pending', async () => {
    fs.rmSync(path.join(dir, '20240101000002_add_colour.ts'));
    const result = await up(dir);
    expect(result.code).toBe(0);
    expect(expectOneLine(result.stderr)).toBe(
      `usualstore-db: warning: applied migrations with no file in ${dir}: 20240101000002_add_colour (migrate forget drops the record of one deleted on purpose)`,
    );
    expect(result.stdout).toMatch(/is up to date/);
  });

  it('(8) an up(pgm, run) that never calls run() fails after 5 idle seconds instead of hanging', async () => {
    fs.writeFileSync(
      path.join(dir, '20240101000004_forgot_run.ts'),
      "export function up(pgm: any, run: () => void): void { pgm.sql('CREATE TABLE never (id int)'); }\n",
    );
    const result = await up(dir);
    expect(result.code).toBe(1);
    expect(expectOneLine(result.stderr)).toBe(
      "usualstore-db: migration 20240101000004_forgot_run (up) failed and was rolled back: 20240101000004_forgot_run's up(pgm, run) did nothing for 5 s and never called run(); call run() when it is done, or declare it without the run parameter",
    );
    // One that calls run() later, after a query of its own, is fine.
    fs.writeFileSync(
      path.join(dir, '20240101000004_forgot_run.ts'),
      "export function up(pgm: any, run: () => void): void { pgm.db.query('select pg_sleep(0.2)').then(() => { pgm.sql('CREATE TABLE later (id int)'); run(); }); }\n",
    );
    expect((await up(dir)).code).toBe(0);
    expect(await query(db.url, "select to_regclass('public.later') is not null as present")).toEqual([{ present: true }]);
  }, 30000);
});

describe('(9) order by name, not by clock', () => {
  let db: TestDatabase;
  let dir: string;
  const cli = cliFor(() => ({ url: db.url, migrationsDir: dir }));
  beforeEach(async () => {
    db = await createTestDatabase('faults_clock');
    dir = makeMigrationsDir(BASIC);
  });
  afterEach(async () => {
    await db.drop();
    removeDir(dir);
  });

  it('a clock stepped back does not change which migration is current or which down reverts', async () => {
    expect((await cli('migrate', 'up')).code).toBe(0);
    // The newest migration ran while the clock was a day behind.
    await query(db.url, "update pgmigrations set run_on = run_on - interval '1 day' where name = '20240101000003_seed_things'");
    const status = JSON.parse((await cli('migrate', 'status', '--json')).stdout) as { current: string; applied: string[] };
    expect(status.current).toBe('20240101000003_seed_things');
    expect(status.applied).toEqual(BASIC.map((m) => m.name));
    const down = await cli('migrate', 'down', '--count', '1', '--yes');
    expect(down.code).toBe(0);
    expect(down.stdout).toMatch(/^reverted 20240101000003_seed_things /m);
    const again = await cli('migrate', 'up');
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^applied 20240101000003_seed_things /m);
  });
});

describe('(12) odd input', () => {
  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty'])('%s is an unknown command', async (name) => {
    const result = await runCli([name]);
    expect(result.code).toBe(1);
    expect(expectOneLine(result.stderr)).toBe(`usualstore-db: unknown command "${name}"; run usualstore-db --help`);
  });

  it('sslmode=require prints no SECURITY WARNING, only the one line', async () => {
    const url = new URL(serverUrl());
    url.searchParams.set('sslmode', 'require');
    const result = await runCli(['migrate', 'status'], { env: { DATABASE_URL: url.toString() } });
    expect(result.code).toBe(1);
    expect(result.stderr).not.toMatch(/SECURITY WARNING/);
    expect(expectOneLine(result.stderr)).toMatch(/does not support SSL; drop sslmode from the URL or set sslmode=disable$/);
  });
});
