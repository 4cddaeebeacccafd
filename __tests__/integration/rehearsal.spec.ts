/**
 * `migrate rehearse` against a real PostgreSQL 15: the pending migrations on a copy, under a
 * workload, with PostgreSQL 15's known answers (a table of 2M rows): ALTER COLUMN TYPE int ->
 * bigint takes ACCESS EXCLUSIVE and rewrites, for a time that grows with the rows, and the
 * workload waits at least that long; ADD COLUMN without a default takes ACCESS EXCLUSIVE for
 * milliseconds, no rewrite; CREATE INDEX takes SHARE and the writes wait; CREATE INDEX
 * CONCURRENTLY takes SHARE UPDATE EXCLUSIVE and the writes do not wait. After every rehearsal the
 * target is as it was: the same relfilenodes, the same rows, no bookkeeping row, no copy left.
 * And `migrate plan` against a live database verifies on a schema-only copy: an application
 * reading and writing the altered table never waits more than 200 ms.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { cliFor, runCli } from '../support/cli';
import { createTestDatabase, serverUrl, type TestDatabase } from '../support/database';
import { tempDir } from '../support/temp';
import { makeMigrationsDir, query, removeDir, writeMigration } from './migrator-fixtures';

const ROWS = 2_000_000;

interface StatementJson {
  migration: string;
  index: number;
  sql: string;
  start_ms: number;
  end_ms: number;
  held_until_ms: number;
  locks: { relation: string; mode: string }[];
  rewrote: string[];
  rows: number | null;
  bytes_written: number;
  wal_bytes: number;
  workload: {
    longest_wait_ms: number;
    requests: number;
    errors: number;
    by_statement: Record<string, { longest_wait_ms: number; requests: number }>;
  };
}
interface RehearsalJson {
  copy: { kind: string; label: string; sample_percent?: number };
  migrations: string[];
  statements: StatementJson[];
  workload: { baseline: { longest_wait_ms: number } };
}

/** Everything about the target that a rehearsal must leave as it was. */
async function fingerprint(url: string) {
  const [relations, rows, books] = await Promise.all([
    query<{ name: string; file: string }>(
      url,
      "SELECT c.oid::regclass::text AS name, c.relfilenode::text AS file FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' ORDER BY 1",
    ),
    query<{ count: number; sum: string }>(
      url,
      "SELECT count(*)::int AS count, md5(string_agg(md5(i::text), '' ORDER BY id)) AS sum FROM items i",
    ),
    query<{ name: string }>(url, 'SELECT name FROM pgmigrations ORDER BY id'),
  ]);
  return { relations, rows, books };
}

const scratchDatabases = async () =>
  (await query<{ datname: string }>(serverUrl(), "SELECT datname FROM pg_database WHERE datname LIKE 'usualstore\\_rehearsal\\_%'")).map(
    (r) => r.datname,
  );

describe('migrate rehearse: PostgreSQL 15’s known answers, on a copy, under a workload', () => {
  let db: TestDatabase;
  let dir: string;
  let before: Awaited<ReturnType<typeof fingerprint>>;
  let full: RehearsalJson;
  const cli = cliFor(() => ({ url: db.url, migrationsDir: dir, timeoutMs: 240000 }));
  const statement = (r: RehearsalJson, migration: string) => r.statements.find((s) => s.migration.endsWith(migration))!;

  beforeAll(async () => {
    db = await createTestDatabase('rehearse');
    dir = makeMigrationsDir([
      {
        name: '20240101000001_items',
        up: `CREATE TABLE items (id serial PRIMARY KEY, n int NOT NULL, label text); INSERT INTO items (n, label) SELECT g, 'item ' || g FROM generate_series(1, ${ROWS}) g`,
      },
    ]);
    expect((await cli('migrate', 'up')).code).toBe(0);
    await query(db.url, 'VACUUM ANALYZE items');
    for (const [name, up] of [
      ['20240101000002_widen_n', 'ALTER TABLE items ALTER COLUMN n TYPE bigint'],
      ['20240101000003_add_note', 'ALTER TABLE items ADD COLUMN note text'],
      ['20240101000004_index_label', 'CREATE INDEX items_label ON items (label)'],
    ])
      writeMigration(dir, { name, up });
    fs.writeFileSync(
      path.join(dir, '20240101000005_index_n.ts'),
      "export function up(pgm: any) { pgm.noTransaction(); pgm.sql('CREATE INDEX CONCURRENTLY items_n ON items (n)'); }\n",
    );
    before = await fingerprint(db.url);
    const result = await cli('migrate', 'rehearse', '--json');
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
    full = JSON.parse(result.stdout) as RehearsalJson;
  }, 240000);
  afterAll(async () => {
    await db?.drop();
    if (dir) removeDir(dir);
  });

  it('ran on a scratch copy of the target on its own server, every pending migration, and left the target as it was', async () => {
    expect(full.copy).toEqual({
      kind: 'scratch',
      label: `a copy of ${new URL(db.url).username}@127.0.0.1:${new URL(db.url).port}/${db.name} on its own server`,
    });
    expect(full.migrations).toEqual([
      '20240101000002_widen_n',
      '20240101000003_add_note',
      '20240101000004_index_label',
      '20240101000005_index_n',
    ]);
    expect(await fingerprint(db.url)).toEqual(before);
    expect(await scratchDatabases()).toEqual([]);
  });

  it('ALTER COLUMN TYPE int -> bigint: ACCESS EXCLUSIVE, a rewrite of every row, and the workload waits at least as long', () => {
    const s = statement(full, 'widen_n');
    expect(s.locks).toEqual(expect.arrayContaining([{ relation: 'items', mode: 'ACCESS EXCLUSIVE' }]));
    expect(s.rewrote).toEqual(['items']);
    expect(s.rows).toBeGreaterThan(ROWS * 0.95);
    expect(s.bytes_written).toBeGreaterThan(50 * 1024 * 1024);
    expect(s.wal_bytes).toBeGreaterThan(50 * 1024 * 1024);
    const held = s.held_until_ms - s.start_ms;
    expect(held).toBeGreaterThan(500);
    // A request sent at the start of the hold waits for nearly all of it (less a request interval, which a
    // loaded machine can stretch).
    expect(s.workload.longest_wait_ms).toBeGreaterThanOrEqual(0.8 * (s.end_ms - s.start_ms));
    expect(s.workload.longest_wait_ms).toBeGreaterThan(full.workload.baseline.longest_wait_ms * 5);
  });

  it('ADD COLUMN without a default: ACCESS EXCLUSIVE for a moment, no rewrite', () => {
    const s = statement(full, 'add_note');
    expect(s.locks).toEqual([{ relation: 'items', mode: 'ACCESS EXCLUSIVE' }]);
    expect(s.rewrote).toEqual([]);
    // Against the rewrite of the same table in the same run, not a clock: the machines are shared.
    const rewrite = statement(full, 'widen_n');
    expect(s.end_ms - s.start_ms).toBeLessThan((rewrite.end_ms - rewrite.start_ms) / 5);
  });

  it('CREATE INDEX: SHARE, and the workload’s writes wait for it', () => {
    const s = statement(full, 'index_label');
    expect(s.locks).toEqual([{ relation: 'items', mode: 'SHARE' }]);
    expect(s.rewrote).toEqual([]);
    const writes = s.workload.by_statement['write public.items'];
    expect(writes.requests).toBeGreaterThan(0);
    expect(writes.longest_wait_ms).toBeGreaterThan((s.end_ms - s.start_ms) / 2);
  });

  it('CREATE INDEX CONCURRENTLY: SHARE UPDATE EXCLUSIVE, and the workload’s writes do not wait', () => {
    const s = statement(full, 'index_n');
    expect(s.locks).toEqual([{ relation: 'items', mode: 'SHARE UPDATE EXCLUSIVE' }]);
    expect(s.end_ms - s.start_ms).toBeGreaterThan(300);
    const writes = s.workload.by_statement['write public.items'];
    expect(writes.requests).toBeGreaterThan(5);
    // The plain CREATE INDEX's writes waited more than half of its build; these, a small part of this one.
    expect(writes.longest_wait_ms).toBeLessThan((s.end_ms - s.start_ms) / 4);
  });

  it('on a sample (--sample 10) the rewrite takes a fraction of the time: a duration that grows with the rows', async () => {
    const result = await cli('migrate', 'rehearse', '--json', '--sample', '10');
    expect(result.code).toBe(0);
    const sample = JSON.parse(result.stdout) as RehearsalJson;
    expect(sample.copy.sample_percent).toBe(10);
    const small = statement(sample, 'widen_n');
    const big = statement(full, 'widen_n');
    expect(small.rows).toBeLessThan(ROWS * 0.15);
    expect(big.end_ms - big.start_ms).toBeGreaterThan(3 * (small.end_ms - small.start_ms));
    expect(await fingerprint(db.url)).toEqual(before);
    expect(await scratchDatabases()).toEqual([]);
  }, 240000);

  it('the Markdown report: a table of the statements and the Mermaid charts; --max-app-wait fails the gate naming the statement', async () => {
    const result = await cli('migrate', 'rehearse', '--sample', '10', '--max-app-wait', '1');
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(/^## Rehearsal$/m);
    expect(result.stdout).toMatch(
      /^\| 20240101000002_widen_n \| 1 \| `ALTER TABLE items ALTER COLUMN n TYPE bigint` \| ACCESS EXCLUSIVE on items \(blocks reads and writes\)/m,
    );
    expect(result.stdout).toContain('```mermaid\ngantt\n');
    expect(result.stdout).toContain('```mermaid\nxychart-beta\n');
    expect(result.stderr).toMatch(
      /^usualstore-db: the workload waited [\d.]+ m?s during 2024010100000\d_\w+ statement 1 \((ALTER TABLE|CREATE INDEX) .*\), more than --max-app-wait 1 ms\n$/,
    );
  }, 240000);

  it('--workload FILE: its statements, their parameters drawn from the copy', async () => {
    const work = tempDir('workload');
    try {
      const file = path.join(work, 'shop.sql');
      fs.writeFileSync(file, '-- params: SELECT id FROM items LIMIT 100\nSELECT label FROM items WHERE id = $1;\n');
      const result = await cli('migrate', 'rehearse', '--json', '--sample', '1', '--workload', file, '--rate', '50', '--clients', '2');
      expect(result.code).toBe(0);
      const r = JSON.parse(result.stdout) as RehearsalJson & { workload: { statements: string[]; clients: number; rate: number } };
      expect(r.workload).toMatchObject({ statements: ['SELECT label FROM items WHERE id = $1'], clients: 2, rate: 50 });
      expect(Object.keys(r.statements[0].workload.by_statement)).toEqual(['SELECT label FROM items WHERE id = $1']);
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
  }, 240000);

  it('--on a copy the user made: rehearsed there, left there; the target itself is refused', async () => {
    const copy = await createTestDatabase('rehearse_copy', db.name);
    try {
      const result = await runCli(['migrate', 'rehearse', '--json', '--on', copy.url, '--migrations-dir', dir], {
        env: { DATABASE_URL: db.url },
        timeoutMs: 240000,
      });
      expect(result.code).toBe(0);
      const r = JSON.parse(result.stdout) as RehearsalJson;
      expect(r.copy.kind).toBe('given');
      expect((await query<{ name: string }>(copy.url, 'SELECT name FROM pgmigrations ORDER BY id')).map((m) => m.name)).toHaveLength(5);
      expect(await fingerprint(db.url)).toEqual(before);
      const itself = await runCli(['migrate', 'rehearse', '--on', db.url, '--migrations-dir', dir], { env: { DATABASE_URL: db.url } });
      expect(itself.code).toBe(1);
      expect(itself.stderr).toMatch(
        /^usualstore-db: --on \S+ is the target itself \(the same server and database\); the rehearsal runs on a copy, never on the target\n$/,
      );
    } finally {
      await copy.drop();
    }
  }, 240000);
});

describe('migrate plan on a live database: verified on a schema-only copy, never in place', () => {
  let db: TestDatabase;
  let dir: string;
  const cli = (url: string, ...args: string[]) => cliFor(() => ({ url, migrationsDir: dir, timeoutMs: 120000 }))(...args);

  /**
   * The application: reads and writes the table the migration alters, one request after another, for as long as `work`
   * runs. Its lock_timeout counts the requests that waited for a lock (which only a lock on the target causes), rather
   * than a clock: a shared machine can stall any request.
   */
  async function whileTheApplicationRuns<T>(work: () => Promise<T>): Promise<{ result: T; lockWaits: number; requests: number }> {
    const app = new Client({ connectionString: db.url, application_name: 'shop-app' });
    await app.connect();
    await app.query(`SET lock_timeout = '100ms'`);
    let running = true;
    let lockWaits = 0;
    let requests = 0;
    const loop = (async () => {
      while (running) {
        const id = 1 + Math.floor(Math.random() * 1000);
        try {
          await app.query('UPDATE items SET label = label WHERE id = $1', [id]);
          await app.query('SELECT * FROM items WHERE id = $1', [id]);
        } catch (error) {
          if ((error as { code?: string }).code !== '55P03') throw error;
          lockWaits++;
        }
        requests++;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    try {
      const result = await work();
      return { result, lockWaits, requests };
    } finally {
      running = false;
      await loop;
      await app.end();
    }
  }

  beforeAll(async () => {
    db = await createTestDatabase('plan_target');
    dir = makeMigrationsDir([
      {
        name: '20240101000001_items',
        up: "CREATE TABLE items (id serial PRIMARY KEY, n int NOT NULL, label text); INSERT INTO items (n, label) SELECT g, 'item ' || g FROM generate_series(1, 400000) g",
      },
    ]);
    expect((await cli(db.url, 'migrate', 'up')).code).toBe(0);
    writeMigration(dir, { name: '20240101000002_widen_n', up: 'ALTER TABLE items ALTER COLUMN n TYPE bigint' });
  }, 120000);
  afterAll(async () => {
    await db?.drop();
    if (dir) removeDir(dir);
  });

  it('changes nothing there and never makes the application wait for a lock; the plan says where it was verified', async () => {
    const before = await fingerprint(db.url);
    const { result, lockWaits, requests } = await whileTheApplicationRuns(() => cli(db.url, 'migrate', 'plan', '--live'));
    expect(result.code).toBe(2);
    expect(result.stdout.split('\n')[0]).toBe(
      `-- verified on a schema-only copy of ${new URL(db.url).username}@127.0.0.1:${new URL(db.url).port}/${db.name} on its own server, not on it (it is live: --live): lock modes and rewrites are as they would be there; durations are not (the copy has no rows)`,
    );
    expect(result.stdout).toMatch(
      /^ALTER TABLE items ALTER COLUMN n TYPE bigint;\n-- {3}locks: ACCESS EXCLUSIVE on items \(blocks reads and writes\), .*rewrote items/m,
    );
    expect(requests).toBeGreaterThan(10);
    expect(lockWaits).toBe(0);
    expect(await fingerprint(db.url)).toEqual(before);
    expect(await scratchDatabases()).toEqual([]);
  });

  it('in place (a development database), the same plan holds the table: the application waits (what the copy spares it)', async () => {
    const { result, lockWaits } = await whileTheApplicationRuns(() => cli(db.url, 'migrate', 'plan'));
    expect(result.code).toBe(2);
    expect(result.stdout).not.toMatch(/schema-only copy/);
    expect(lockWaits).toBeGreaterThan(0);
  });

  it('where no database may be created (no CREATEDB), prints only, saying so', async () => {
    const role = `planner_${db.name.slice(-8)}`;
    await query(db.url, `CREATE ROLE ${role} LOGIN PASSWORD 'planner-pw'; GRANT SELECT ON ALL TABLES IN SCHEMA public TO ${role}`);
    try {
      const url = new URL(db.url);
      url.username = role;
      url.password = 'planner-pw';
      const result = await cli(url.toString(), 'migrate', 'plan', '--live');
      expect(result.stdout).toMatch(
        new RegExp(
          `^-- printed only, not verified: ${role}@127\\.0\\.0\\.1:\\d+/${db.name} is live \\(--live\\) and no copy of it could be made there \\(.*the user needs CREATEDB\\)$`,
          'm',
        ),
      );
      expect(result.stdout).toMatch(/^ALTER TABLE items ALTER COLUMN n TYPE bigint/m);
      expect(result.code).toBe(2);
    } finally {
      await query(db.url, `DROP OWNED BY ${role}; DROP ROLE ${role}`);
    }
  });
});
