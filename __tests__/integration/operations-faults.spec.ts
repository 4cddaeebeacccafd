/**
 * backup and restore under faults, against a real PostgreSQL 15 with the local client tools: the
 * command signalled or killed while its pg_dump/pg_restore waits behind an application's lock,
 * and the lock bounds themselves. Items 4, 5 and 7 of the faults issue.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { cliOn, eventually, runCli, startCli } from '../support/cli';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { migrationPrefix } from '../support/migration-prefix';
import { expectOneLine, query } from './migrator-fixtures';
import { migratedDatabase } from './operations-fixtures';
import { tempDir } from '../support/temp';

const cli = (url: string, args: string[]) => cliOn(url, args);
const start = (url: string, args: string[]) => startCli(args, { env: { DATABASE_URL: url } });
const RESTORE_SESSION = /^usualstore-db restore/;

/** Sessions of a client tool (pg_dump, pg_restore) on the server, and whether they wait for a lock. */
/** pg_dump as backup starts it: named, so that its lock waits can be watched. */
const BACKUP_SESSION = /^usualstore-db backup \d+$/;

async function toolSessions(url: string, tool: string | RegExp): Promise<{ waiting: boolean }[]> {
  const rows = await query<{ waiting: boolean; application: string }>(
    url,
    `select wait_event_type = 'Lock' as waiting, application_name as application from pg_stat_activity where datname = current_database()`,
  );
  return rows.filter((row) => (typeof tool === 'string' ? row.application === tool : tool.test(row.application)));
}

async function holdLock(url: string, sql: string): Promise<Client> {
  const app = new Client({ connectionString: url, application_name: 'shop-app' });
  await app.connect();
  await app.query('BEGIN');
  await app.query(sql);
  return app;
}

describe('backup and restore under faults', () => {
  let source: TestDatabase;
  let dir: string;
  let archive: string;
  let app: Client | undefined;

  beforeAll(async () => {
    source = await migratedDatabase('ops_faults');
    dir = tempDir('faults');
    archive = path.join(dir, 'before.dump');
    expect((await cli(source.url, ['backup', archive])).code).toBe(0);
  });
  afterEach(async () => {
    await app?.end().catch(() => {});
    app = undefined;
  });
  afterAll(async () => {
    await source.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const partials = () => fs.readdirSync(dir).filter((name) => name.endsWith('.partial'));

  it('(4) backup stopped by SIGTERM: pg_dump stops too, no partial file stays, one line says so', async () => {
    app = await holdLock(source.url, 'LOCK TABLE widgets IN ACCESS EXCLUSIVE MODE');
    const file = path.join(dir, 'term.dump');
    const running = start(source.url, ['backup', file, '--lock-timeout', '60']);
    await eventually(async () => (await toolSessions(source.url, BACKUP_SESSION)).some((s) => s.waiting), 'pg_dump to wait for its lock');
    running.child.kill('SIGTERM');
    const result = await running.done;
    expect(result.code).toBe(143);
    expect(expectOneLine(result.stderr)).toMatch(
      /^usualstore-db: interrupted by SIGTERM: backup of postgres@\S+ stopped; nothing was written to \S+\/term\.dump$/,
    );
    await eventually(async () => (await toolSessions(source.url, BACKUP_SESSION)).length === 0, 'pg_dump to leave the server', 5000);
    expect(fs.existsSync(file)).toBe(false);
    expect(partials()).toEqual([]);
  });

  it('(4) backup killed by SIGKILL: pg_dump dies with it, and the next backup removes the partial file it left', async () => {
    app = await holdLock(source.url, 'LOCK TABLE widgets IN ACCESS EXCLUSIVE MODE');
    const file = path.join(dir, 'kill.dump');
    const running = start(source.url, ['backup', file, '--lock-timeout', '60']);
    await eventually(async () => (await toolSessions(source.url, BACKUP_SESSION)).some((s) => s.waiting), 'pg_dump to wait for its lock');
    running.child.kill('SIGKILL');
    await running.done;
    // Its pg_dump got the parent-death signal: it does not go on to write a complete dump.
    await eventually(async () => (await toolSessions(source.url, BACKUP_SESSION)).length === 0, 'pg_dump to leave the server', 5000);
    expect(partials()).toHaveLength(1);
    await app.query('ROLLBACK');
    const next = await cli(source.url, ['backup', file]);
    expect(next.code).toBe(0);
    expect(partials()).toEqual([]);
    expect(fs.readFileSync(file).subarray(0, 5).toString()).toBe('PGDMP');
  });

  it('(5) backup waits at most --lock-timeout for a table an application holds, then says so, naming who held it', async () => {
    app = await holdLock(source.url, 'LOCK TABLE widgets IN ACCESS EXCLUSIVE MODE');
    const file = path.join(dir, 'bounded.dump');
    const result = await cli(source.url, ['backup', file, '--lock-timeout', '1']);
    expect(result.code).toBe(1);
    expect(expectOneLine(result.stderr)).toMatch(
      /^usualstore-db: pg_dump of postgres@\S+ failed: .*timeout.* \(another session held a table it needed for more than 1 s: pid \d+ \(user postgres, application "shop-app", idle in transaction since .*, last statement: LOCK TABLE widgets IN ACCESS EXCLUSIVE MODE\); retry when it is done, or raise --lock-timeout\); nothing was written$/,
    );
    expect(fs.existsSync(file)).toBe(false);
    expect(partials()).toEqual([]);
  });

  describe('restore --force over a database an application reads', () => {
    let target: TestDatabase;
    const widgets = async () => (await query<{ n: number }>(target.url, 'select count(*)::int as n from widgets'))[0].n;
    beforeEach(async () => {
      target = await migratedDatabase('ops_faults_target');
      await query(target.url, "insert into widgets (name) values ('kept')");
    });
    afterEach(async () => {
      await app?.end().catch(() => {});
      app = undefined;
      await target.drop();
    });

    it.each(['SIGTERM', 'SIGKILL'] as const)('(4) %s: pg_restore stops with the command and nothing is restored', async (signal) => {
      app = await holdLock(target.url, 'SELECT count(*) FROM widgets');
      const running = start(target.url, ['restore', archive, '--force', '--yes', '--lock-timeout', '60']);
      await eventually(
        async () => (await toolSessions(target.url, RESTORE_SESSION)).some((s) => s.waiting),
        'pg_restore to wait for its lock',
      );
      running.child.kill(signal);
      const result = await running.done;
      if (signal === 'SIGTERM') {
        expect(result.code).toBe(143);
        expect(expectOneLine(result.stderr)).toMatch(
          /^usualstore-db: interrupted by SIGTERM: restore of \S+\/before\.dump into postgres@\S+ stopped; pg_restore's single transaction is rolled back, nothing was restored$/,
        );
      }
      await eventually(async () => (await toolSessions(target.url, RESTORE_SESSION)).length === 0, 'pg_restore to leave the server', 5000);
      await app.query('ROLLBACK');
      // Had pg_restore gone on, it would have replaced widgets with the archive's (no 'kept' row).
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(await widgets()).toBe(3);
    });

    it('(5) waits at most --lock-timeout for a table an application holds, then rolls back', async () => {
      app = await holdLock(target.url, 'SELECT count(*) FROM widgets');
      const result = await cli(target.url, ['restore', archive, '--force', '--yes', '--lock-timeout', '1']);
      expect(result.code).toBe(1);
      expect(expectOneLine(result.stderr)).toMatch(
        /^usualstore-db: pg_restore into postgres@\S+ failed and was rolled back \(nothing was restored\): it waited more than 1 s for a lock held by pid \d+ \(user postgres, application "shop-app", idle in transaction since \S+ \S+ UTC, last statement: SELECT count\(\*\) FROM widgets\), and was stopped; retry when that session is done, or raise --lock-timeout$/,
      );
      // The application's transaction was never disturbed, and the data is as it was.
      expect((await app.query<{ n: number }>('select count(*)::int as n from widgets')).rows).toEqual([{ n: 3 }]);
    });
  });

  it('(7) status names the holder of the migration lock', async () => {
    app = new Client({ connectionString: source.url, application_name: 'node-pg-migrate' });
    await app.connect();
    await app.query('SELECT pg_advisory_lock(7241865325823964)');
    const human = await cli(source.url, ['status']);
    expect(human.stdout).toMatch(
      /^migration lock\s+held by another migration run, pid \d+ \(user postgres, application "node-pg-migrate", idle since \S+ \S+ UTC, last statement: SELECT pg_advisory_lock\(7241865325823964\)\)$/m,
    );
    const json = JSON.parse((await cli(source.url, ['status', '--json'])).stdout) as {
      migration_lock: { pid: number; application: string };
    };
    expect(json.migration_lock).toMatchObject({ application: 'node-pg-migrate' });
    expect(json.migration_lock.pid).toBe((await app.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0].pid);
    await app.end();
    app = undefined;
    expect((await cli(source.url, ['status'])).stdout).toMatch(/^migration lock\s+free$/m);
  });
});

describe('(11) an interrupted first run keeps the demo ids', () => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await createTestDatabase('faults_seed');
  });
  afterEach(async () => {
    await db.drop();
  });

  it('seed_widgets killed after inserting the widgets: the rerun still gives widgets 1, 2 and transaction 1', async () => {
    const prefix = migrationPrefix();
    const app = new Client({ connectionString: db.url, application_name: 'shop-app' });
    try {
      prefix.extendTo(15);
      expect((await runCli(['migrate', 'up', '--migrations-dir', prefix.dir], { env: { DATABASE_URL: db.url } })).code).toBe(0);
      // SHARE mode lets seed_widgets read transactions (its sequence set-up) but not insert: the
      // run stops between inserting the widgets (taking ids from the sequence) and the payment.
      await app.connect();
      await app.query('BEGIN');
      await app.query('LOCK TABLE transactions IN SHARE MODE');
      const running = startCli(['migrate', 'up'], { env: { DATABASE_URL: db.url } });
      await eventually(
        async () =>
          (
            await query<{ n: number }>(
              db.url,
              "select count(*)::int as n from pg_stat_activity where application_name = 'usualstore-db' and wait_event_type = 'Lock' and datname = current_database()",
            )
          )[0].n > 0,
        'seed_widgets to wait for the payment insert',
      );
      running.child.kill('SIGKILL');
      await running.done;
      await app.query('ROLLBACK');
    } finally {
      await app.end();
      prefix.remove();
    }
    // The killed run took widget ids 1 and 2 from the sequence (PostgreSQL never gives them back).
    expect(await query(db.url, 'select last_value::int as v, is_called from widgets_id_seq')).toEqual([{ v: 2, is_called: true }]);
    await eventually(
      async () =>
        (await query(db.url, "select 1 from pg_stat_activity where application_name = 'usualstore-db' and datname = current_database()"))
          .length === 0,
      'the killed run to leave',
      5000,
    );
    const rerun = await runCli(['migrate', 'up'], { env: { DATABASE_URL: db.url } });
    expect(rerun.code).toBe(0);
    expect(await query(db.url, 'select id, name from widgets order by id')).toEqual([
      { id: 1, name: 'Widget' },
      { id: 2, name: 'Golden Plan' },
    ]);
    expect(await query(db.url, 'select id from transactions')).toEqual([{ id: 1 }]);
  }, 60000);

  it('a database that recorded the earlier seed_widgets checksum is not "edited"; any other checksum is', async () => {
    expect((await runCli(['migrate', 'up'], { env: { DATABASE_URL: db.url } })).code).toBe(0);
    const recorded = (sum: string) =>
      query(db.url, "update pgmigrations_checksums set sha256 = $1 where name = '20241204063421_seed_widgets'", [sum]);
    await recorded('984e722a4edefed71ad5048c83e59e8a883eaca0bce59ed8ed93860e02092c13');
    let result = await runCli(['migrate', 'up'], { env: { DATABASE_URL: db.url } });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/is up to date/);
    await recorded('0'.repeat(64));
    result = await runCli(['migrate', 'up'], { env: { DATABASE_URL: db.url } });
    expect(result.code).toBe(1);
    expect(expectOneLine(result.stderr)).toMatch(/applied migration 20241204063421_seed_widgets changed since applied/);
  });
});
