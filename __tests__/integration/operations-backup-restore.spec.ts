/**
 * usualstore-db backup and restore against a real PostgreSQL 15, with the local client tools
 * (the URL names the test server, not the container's published port, so no docker is involved):
 * a full round trip, the refusals that protect files and data, and bad archives.
 *
 * Not tested here: the `docker exec` route itself (no Docker daemon where the tests run); its
 * decision is unit-tested in __tests__/unit/operations/route.spec.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { cliOn } from '../support/cli';
import { dataSnapshot, schemaSnapshot } from '../support/catalog';
import { createTestDatabase, withClient, type TestDatabase } from '../support/database';
import { expectOneLine, query } from './migrator-fixtures';
import { looseDefinition } from '../../tool/migrator/verify/schema-shape';
import { APPLICATION_ROWS, migratedDatabase } from './operations-fixtures';
import { tempDir } from '../support/temp';
import { closedPort } from '../support/ports';
import { PROJECT_MIGRATIONS } from '../support/migration-prefix';
import { ELAPSED } from '../support/text';

const cli = cliOn;

/**
 * Schema, rows, bookkeeping and sequence positions: what a restore must reproduce. CHECK
 * expressions are compared loosely: pg_restore re-parses them and PostgreSQL writes some back
 * differently (same meaning; see tool/operations/schema-shape.ts).
 */
async function contents(url: string) {
  return withClient(url, async (c) => ({
    schema: await schemaSnapshot(c).then((s) => ({ ...s, constraints: s.constraints.map(looseDefinition) })),
    data: await dataSnapshot(c),
    applied: (await c.query('SELECT id, name, run_on FROM pgmigrations ORDER BY id')).rows,
    checksums: (await c.query('SELECT name, sha256 FROM pgmigrations_checksums ORDER BY name')).rows,
    sequences: (await c.query('SELECT sequencename, last_value FROM pg_sequences ORDER BY 1')).rows,
  }));
}

const tableCount = async (url: string) =>
  (await query<{ n: number }>(url, `SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'`))[0].n;

describe('backup and restore', () => {
  let source: TestDatabase;
  let dir: string;
  let archive: string;

  beforeAll(async () => {
    source = await migratedDatabase('ops_backup_src');
    await withClient(source.url, (c) => c.query(APPLICATION_ROWS));
    dir = tempDir('backup');
    archive = path.join(dir, 'usualstore.dump');
    const made = await cli(source.url, ['backup', archive]);
    expect(made.stderr).toBe('');
    expect(made.code).toBe(0);
    expect(made.stdout).toMatch(
      new RegExp(
        String.raw`^backed up postgres@127\.0\.0\.1:\d+\/ops_backup_src_\w+ to \/\S+\/usualstore\.dump: \d+ kB in ${ELAPSED} \(pg_dump custom format, local client tools: 127\.0\.0\.1:\d+ is not usualstore-database's published port\)\n$`,
      ),
    );
  });
  afterAll(async () => {
    await source.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('writes a custom-format archive, owner-only, and nothing else', () => {
    expect(fs.readFileSync(archive).subarray(0, 5).toString()).toBe('PGDMP');
    expect(fs.statSync(archive).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(dir)).toEqual(['usualstore.dump']);
  });

  it('round trip: restore into an empty database reproduces schema, rows, bookkeeping and sequences', async () => {
    const target = await createTestDatabase('ops_restore_dst');
    try {
      const restored = await cli(target.url, ['restore', archive]);
      expect(restored.stderr).toBe('');
      expect(restored.code).toBe(0);
      expect(restored.stdout).toMatch(
        new RegExp(String.raw`^restored \S+usualstore\.dump \(\d+ kB\) into postgres@\S+ in ${ELAPSED} \(local client tools: .*\)\n$`),
      );
      expect(await contents(target.url)).toEqual(await contents(source.url));
      expect(await query(target.url, `SELECT email FROM customers`)).toEqual([{ email: 'ada@example.com' }]);
      const status = JSON.parse((await cli(target.url, ['migrate', 'status', '--json'])).stdout);
      expect(status).toMatchObject({ pending: [], edited: [] });
      expect(status.applied).toEqual(PROJECT_MIGRATIONS);
    } finally {
      await target.drop();
    }
  });

  it('restore refuses a database that has tables, changing nothing; --force replaces what the archive holds', async () => {
    const target = await createTestDatabase('ops_restore_force');
    try {
      expect((await cli(target.url, ['restore', archive])).code).toBe(0);
      await withClient(target.url, (c) => c.query(`DELETE FROM orders; DELETE FROM customers; UPDATE widgets SET name = 'changed'`));
      const changed = await contents(target.url);

      const refused = await cli(target.url, ['restore', archive]);
      expect(refused.code).toBe(1);
      expect(expectOneLine(refused.stderr)).toMatch(
        /^usualstore-db: postgres@\S+ already has 19 tables; restore writes only into an empty database\. --force replaces the archive's objects \(pg_restore --clean --if-exists, one transaction\); nothing was changed$/,
      );
      expect(await contents(target.url)).toEqual(changed);

      const forced = await cli(target.url, ['restore', archive, '--force', '--yes']);
      expect(forced.code).toBe(0);
      expect(forced.stdout).toMatch(/, replacing the archive's objects \(--force; it had 19 tables\)/);
      expect(await contents(target.url)).toEqual(await contents(source.url));
    } finally {
      await target.drop();
    }
  });

  it('restore checks the file before touching the database: not an archive, missing, truncated', async () => {
    const target = await createTestDatabase('ops_restore_bad');
    try {
      const sql = path.join(dir, 'stray.sql');
      fs.writeFileSync(sql, 'CREATE TABLE oops (id int);\n');
      const plain = await cli(target.url, ['restore', sql]);
      expect(plain.code).toBe(1);
      expect(expectOneLine(plain.stderr)).toBe(
        `usualstore-db: ${sql} is neither a pg_dump custom-format archive (usualstore-db backup makes them) nor a plain SQL dump (pg_dump > file.sql); nothing was changed`,
      );
      const missing = await cli(target.url, ['restore', path.join(dir, 'nope.dump')]);
      expect(missing.code).toBe(1);
      expect(expectOneLine(missing.stderr)).toBe(`usualstore-db: ${path.join(dir, 'nope.dump')} does not exist`);

      // Right magic, cut short: pg_restore fails part-way, and its single transaction undoes it all.
      const truncated = path.join(dir, 'truncated.dump');
      const bytes = fs.readFileSync(archive);
      fs.writeFileSync(truncated, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
      const cut = await cli(target.url, ['restore', truncated]);
      expect(cut.code).toBe(1);
      expect(expectOneLine(cut.stderr)).toMatch(
        /^usualstore-db: pg_restore into postgres@\S+ failed and was rolled back \(nothing was restored\): /,
      );
      expect(await tableCount(target.url)).toBe(0);
    } finally {
      fs.rmSync(path.join(dir, 'plain.sql'), { force: true });
      fs.rmSync(path.join(dir, 'truncated.dump'), { force: true });
      await target.drop();
    }
  });

  it('backup refuses to overwrite an existing file unless --force, which replaces it whole', async () => {
    const existing = path.join(dir, 'existing.dump');
    fs.writeFileSync(existing, 'keep me');
    try {
      const refused = await cli(source.url, ['backup', existing]);
      expect(refused.code).toBe(1);
      expect(expectOneLine(refused.stderr)).toBe(
        `usualstore-db: ${existing} already exists; pass --force to replace it (or choose another name)`,
      );
      expect(fs.readFileSync(existing, 'utf8')).toBe('keep me');

      const forced = await cli(source.url, ['backup', existing, '--force']);
      expect(forced.code).toBe(0);
      expect(fs.readFileSync(existing).subarray(0, 5).toString()).toBe('PGDMP');
    } finally {
      fs.rmSync(existing, { force: true });
    }
  });

  it('backup leaves no file, partial or not, when it fails', async () => {
    const failing = tempDir('backup-fail');
    try {
      const target = path.join(failing, 'x.dump');
      const unreachable = await cli('postgres://postgres:pw@127.0.0.1:1/usualstore', ['backup', target]);
      expect(unreachable.code).toBe(1);
      expect(expectOneLine(unreachable.stderr)).toBe('usualstore-db: nothing is listening on 127.0.0.1:1 (connection refused)');

      // The server is reachable, but pg_dump is not installed: the temporary file goes too.
      const noTools = await cli(source.url, ['backup', target], { PATH: failing });
      expect(noTools.code).toBe(1);
      expect(expectOneLine(noTools.stderr)).toMatch(/^usualstore-db: pg_dump is not on PATH: install PostgreSQL 15's client tools/);

      const noDir = await cli(source.url, ['backup', path.join(failing, 'missing', 'x.dump')]);
      expect(noDir.code).toBe(1);
      expect(expectOneLine(noDir.stderr)).toBe(`usualstore-db: directory ${path.join(failing, 'missing')} does not exist`);
      expect(fs.readdirSync(failing)).toEqual([]);
    } finally {
      fs.rmSync(failing, { recursive: true, force: true });
    }
  });

  it('without a URL and without a usable container, uses the deployed database on its port, as status does', async () => {
    const empty = tempDir('no-docker');
    const port = String(await closedPort());
    try {
      const expected = [
        `usualstore-db: no --database-url or DATABASE_URL: using the deployed database postgres@127.0.0.1:${port}/usualstore (password: PGPASSWORD)`,
        `usualstore-db: nothing is listening on 127.0.0.1:${port} (connection refused)`,
      ];
      // No docker on PATH at all, then whatever docker there is here (none, no daemon, or a daemon
      // without our container): the same target, the same message as every other command.
      const env = { USUALSTORE_DB_HOST_PORT: port, PGPASSWORD: 'x' };
      for (const result of [
        await cli('', ['backup', path.join(empty, 'x.dump')], { ...env, PATH: empty }),
        await cli('', ['restore', archive], env),
        await cli('', ['migrate', 'status'], env),
      ]) {
        expect(result.code).toBe(1);
        expect(result.stderr.trim().split('\n')).toEqual(expected);
      }
      expect(fs.readdirSync(empty)).toEqual([]);
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });

  it('rejects missing and extra arguments in one line', async () => {
    const none = await cli(source.url, ['backup']);
    expect(expectOneLine(none.stderr)).toBe('usualstore-db: backup needs FILE; usage: usualstore-db backup FILE [options]');
    const extra = await cli(source.url, ['restore', 'a', 'b']);
    expect(expectOneLine(extra.stderr)).toBe('usualstore-db: unexpected argument "b" for "restore"; run usualstore-db restore --help');
    expect([none.code, extra.code]).toEqual([1, 1]);
  });
});
