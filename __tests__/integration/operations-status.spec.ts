/**
 * usualstore-db status against a real PostgreSQL 15: the exact --json keys, figures that agree
 * with the server's own views, the warnings, and an unreachable server.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { StatusReport } from '../../tool/operations/status';
import { runCli } from '../support/cli';
import { createTestDatabase, withClient, type TestDatabase } from '../support/database';
import { migrationFileNames, migrationPrefix, NEWEST_MIGRATION, PROJECT_MIGRATIONS } from '../support/migration-prefix';
import { startTestServer } from '../support/test-server';
import { expectOneLine } from './migrator-fixtures';
import { migratedDatabase } from './operations-fixtures';

const SHIPPED_HASH = '$2a$12$VR1wDmweaF3ZTVgEHiJrNOSi8VcS4j0eamr96A/7iOe8vlum3O3/q';

type Report = StatusReport;

const status = async (url: string, ...args: string[]) => runCli(['status', ...args], { env: { DATABASE_URL: url } });
const statusJson = async (url: string, ...args: string[]) => {
  const result = await status(url, '--json', ...args);
  return { ...result, report: JSON.parse(result.stdout) as Report };
};

describe('status', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await migratedDatabase('ops_status');
  });
  afterAll(async () => {
    await db.drop();
  });

  it('--json has exactly the agreed keys, with figures matching the server', async () => {
    const { code, stderr, report } = await statusJson(db.url);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(Object.keys(report)).toEqual([
      'url',
      'reachable',
      'server_version',
      'connections',
      'database_size_bytes',
      'tables',
      'migrations',
      'migration_lock',
      'warnings',
    ]);
    const server = await withClient(db.url, async (c) => {
      const { rows } = await c.query(
        `SELECT current_setting('server_version') AS v, current_setting('max_connections')::int AS max, pg_database_size(current_database())::bigint AS size`,
      );
      return rows[0];
    });
    expect(report.reachable).toBe(true);
    expect(report.server_version).toBe(server.v);
    expect(report.server_version).toMatch(/^15\./);
    expect(report.connections!.max).toBe(server.max);
    // At least status's own connection; never more than the server allows.
    expect(report.connections!.used).toBeGreaterThanOrEqual(1);
    expect(report.connections!.used).toBeLessThanOrEqual(server.max);
    // The size moves a little between two reads (statistics, free space map): same order.
    expect(Math.abs(report.database_size_bytes! - Number(server.size))).toBeLessThan(Number(server.size) * 0.1);

    const names = report.tables.map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(['users', 'widgets', 'orders', 'support_tickets', 'pgmigrations']));
    const sizes = report.tables.map((t) => t.total_bytes);
    expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
    const users = await withClient(db.url, async (c) =>
      Number((await c.query(`SELECT pg_total_relation_size('public.users') AS n`)).rows[0].n),
    );
    expect(report.tables.find((t) => t.name === 'users')!.total_bytes).toBe(users);

    expect(report.migrations).toEqual({ applied: migrationFileNames().map((f) => f.replace(/\.ts$/, '')), pending: [], edited: [] });
  });

  it('warns loudly while the shipped admin hash is in place, on whatever user now holds it', async () => {
    const first = await statusJson(db.url);
    expect(first.report.warnings.filter((w) => w.startsWith('SECURITY'))).toEqual([expect.stringContaining('admin@example.com')]);

    await withClient(db.url, (c) => c.query(`UPDATE users SET email = 'boss@usualstore.test' WHERE email = 'admin@example.com'`));
    const renamed = await statusJson(db.url);
    expect(renamed.report.warnings.filter((w) => w.startsWith('SECURITY'))).toEqual([expect.stringContaining('boss@usualstore.test')]);
    const human = await status(db.url);
    expect(human.stdout).toMatch(/^WARNING: SECURITY: user boss@usualstore\.test \(id 1\)/m);

    await withClient(db.url, (c) =>
      c.query(`UPDATE users SET password = '$2a$12$' || repeat('y', 53) WHERE password = $1`, [SHIPPED_HASH]),
    );
    const changed = await statusJson(db.url);
    expect(changed.report.warnings.some((w) => w.startsWith('SECURITY'))).toBe(false);
    await withClient(db.url, (c) => c.query(`UPDATE users SET password = $1, email = 'admin@example.com' WHERE id = 1`, [SHIPPED_HASH]));
  });

  it('prints a readable table: the figures, then the tables largest first', async () => {
    const { code, stdout } = await status(db.url);
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    expect(lines[0]).toMatch(/^database\s+postgres@127\.0\.0\.1:\d+\/ops_status_\w+$/);
    expect(lines[1]).toMatch(/^url\s+postgres:\/\/postgres@127\.0\.0\.1:\d+\/ops_status_\w+$/);
    expect(lines[2]).toMatch(/^reachable\s+yes$/);
    expect(stdout).toMatch(/^server version\s+15\.\d+$/m);
    expect(stdout).toMatch(/^connections\s+\d+ used of \d+$/m);
    expect(stdout).toMatch(/^database size\s+\d+ (kB|MB) \(\d+ bytes\)$/m);
    expect(stdout).toMatch(
      new RegExp(`^migrations\\s+${PROJECT_MIGRATIONS.length} applied, 0 pending, 0 edited \\(newest ${NEWEST_MIGRATION}\\)$`, 'm'),
    );
    expect(stdout).toMatch(/^table\s+size$/m);
    expect(stdout).toMatch(/^users\s+\d+ (bytes|kB)$/m);
  });

  it('lists pending and edited migrations by name, and creates nothing in a new database', async () => {
    const fresh = await createTestDatabase('ops_status_fresh');
    const dir = migrationPrefix();
    try {
      dir.extendTo(2);
      const { report } = await statusJson(fresh.url, '--migrations-dir', dir.dir);
      expect(report.migrations).toEqual({
        applied: [],
        pending: migrationFileNames()
          .slice(0, 2)
          .map((f) => f.replace(/\.ts$/, '')),
        edited: [],
      });
      expect(report.warnings).toEqual([
        expect.stringMatching(
          /^2 migrations pending \(20240730180628_create_widgets_table, 20240730180635_create_transaction_status_table\): run \.\/usualstore-db migrate plan/,
        ),
      ]);
      expect(report.tables).toEqual([]);
      const tables = await withClient(
        fresh.url,
        async (c) => (await c.query(`SELECT count(*)::int AS n FROM pg_class WHERE relnamespace = 'public'::regnamespace`)).rows[0].n,
      );
      expect(tables).toBe(0);

      expect((await runCli(['migrate', 'up', '--migrations-dir', dir.dir], { env: { DATABASE_URL: fresh.url } })).code).toBe(0);
      const file = path.join(dir.dir, migrationFileNames()[1]);
      fs.appendFileSync(file, '\n// edited after it was applied\n');
      const edited = await statusJson(fresh.url, '--migrations-dir', dir.dir);
      expect(edited.report.migrations!.edited).toEqual([migrationFileNames()[1].replace(/\.ts$/, '')]);
      expect(edited.report.warnings).toEqual([
        expect.stringMatching(/^migrate up would refuse: applied migration 20240730180635_\w+ changed since applied \(checksum differs\)/),
      ]);
    } finally {
      dir.remove();
      await fresh.drop();
    }
  });

  it('reports max_connections as the server sets it (200 on the deployed container)', async () => {
    const server = await startTestServer(['-c', 'max_connections=200']);
    try {
      const { report } = await statusJson(server.url);
      expect(report.connections!.max).toBe(200);
    } finally {
      await server.stop();
    }
  });

  it('says reachable=false with the reason, and exits non-zero, when nothing listens', async () => {
    const url = 'postgres://postgres:pw@127.0.0.1:1/usualstore';
    const json = await statusJson(url);
    expect(json.code).toBe(1);
    expect(json.report).toEqual({
      url: 'postgres://postgres@127.0.0.1:1/usualstore',
      reachable: false,
      server_version: null,
      connections: null,
      database_size_bytes: null,
      tables: [],
      migrations: null,
      migration_lock: null,
      warnings: ['unreachable: nothing is listening on 127.0.0.1:1 (connection refused)'],
    });
    const human = await status(url);
    expect(human.code).toBe(1);
    expect(human.stdout).toMatch(/^reachable\s+no: nothing is listening on 127\.0\.0\.1:1 \(connection refused\)$/m);
    expect(human.stdout).not.toMatch(/pw/);
  });

  it('rejects bad input in one line', async () => {
    const badOption = await status(db.url, '--jsno');
    expect(badOption.code).toBe(1);
    expect(expectOneLine(badOption.stderr)).toBe(
      'usualstore-db: unknown option --jsno for "status" (did you mean "--json"?); run usualstore-db status --help',
    );
  });
});
