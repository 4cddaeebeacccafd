/**
 * Backups people can trust, against a real PostgreSQL 15 with the local client tools:
 * backup --verify (a good archive passes; one whose rows were altered on the way to disk is
 * caught and never written), backup --table, backup - (its size reported), restore - (stdin),
 * gzip-compressed backups (custom and plain SQL, from a file and from stdin), and
 * restore --create (a new database; one that exists is refused; a failed restore drops it again).
 */
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { CLI, cliOn, PROJECT_ROOT } from '../support/cli';
import { runProcess } from '../support/process';
import { createTestDatabase, urlFor, withClient, type TestDatabase } from '../support/database';
import { expectOneLine, query } from './migrator-fixtures';
import { APPLICATION_ROWS, migratedDatabase } from './operations-fixtures';
import { tempDir } from '../support/temp';
import { ELAPSED } from '../support/text';

const cli = cliOn;

/** A shell pipeline around the real bin (binary archives on stdin/stdout). */
const shell = (script: string, env: NodeJS.ProcessEnv = {}) =>
  runProcess('bash', ['-o', 'pipefail', '-c', `usualstore_db() { "$NODE_BIN" "$CLI_JS" "$@"; }; ${script}`], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, ...env, NODE_BIN: process.execPath, CLI_JS: CLI },
    timeoutMs: 60000,
  });

const tablesOf = async (url: string) =>
  (await query<{ name: string }>(url, `SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`)).map((r) => r.name);

const rowsOf = (url: string, sql: string) => query(url, sql);

const pgDump = execFileSync('bash', ['-c', 'command -v pg_dump'], { encoding: 'utf8' }).trim();

describe('backups people can trust', () => {
  let source: TestDatabase;
  let dir: string;
  let archive: string;

  beforeAll(async () => {
    source = await migratedDatabase('ops_trust_src');
    await withClient(source.url, (c) => c.query(APPLICATION_ROWS));
    dir = tempDir('backup-trust');
    archive = path.join(dir, 'usualstore.dump');
    expect((await cli(source.url, ['backup', archive])).code).toBe(0);
  });
  afterAll(async () => {
    await source.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('backup --verify restores the archive into a scratch database, compares every table, drops it', async () => {
    const file = path.join(dir, 'verified.dump');
    const made = await cli(source.url, ['backup', file, '--verify']);
    expect(made.stderr).toBe('');
    expect(made.code).toBe(0);
    const tables = (await tablesOf(source.url)).length;
    expect(made.stdout).toMatch(
      new RegExp(
        `^backed up \\S+ to ${file.replace(/[.]/g, '\\.')}: .*; verified: restored into a scratch database, ${tables} tables and \\d+ rows, each table's row count and checksum equal to the source's\\n$`,
      ),
    );
    expect(fs.readFileSync(file).subarray(0, 5).toString()).toBe('PGDMP');
    // The scratch database is gone (other test files create and drop databases meanwhile).
    expect(await rowsOf(source.url, "SELECT datname FROM pg_database WHERE datname LIKE 'usualstore\\_verify\\_%'")).toEqual([]);
  });

  it('backup --verify catches an archive whose rows were altered on the way to disk, and writes nothing', async () => {
    // A pg_dump that writes uncompressed data and changes one customer's name in the stream:
    // the archive is well formed and restores, but it is not the database.
    const bin = tempDir('corrupting-pg-dump');
    const file = path.join(dir, 'corrupted.dump');
    try {
      fs.writeFileSync(
        path.join(bin, 'pg_dump'),
        `#!/bin/bash\nset -o pipefail\n${JSON.stringify(pgDump)} "$@" --compress=0 | sed 's/Lovelace/Lovelacf/g'\n`,
        { mode: 0o755 },
      );
      const env = { PATH: `${bin}:${process.env.PATH}` };
      const caught = await cli(source.url, ['backup', file, '--verify'], env);
      expect(caught.code).toBe(1);
      expect(expectOneLine(caught.stderr)).toMatch(
        new RegExp(
          `^usualstore-db: backup of \\S+ failed verification, so ${file.replace(/[.]/g, '\\.')} was not written: the archive restores, but public\\.customers: the 1 row restored differ from the source's$`,
        ),
      );
      expect(fs.existsSync(file)).toBe(false);
      expect(fs.readdirSync(dir).filter((f) => f.endsWith('.partial'))).toEqual([]);
      // The same corrupting pg_dump without --verify writes the archive: only --verify can tell.
      expect((await cli(source.url, ['backup', file], env)).code).toBe(0);
      expect(fs.existsSync(file)).toBe(true);
    } finally {
      fs.rmSync(bin, { recursive: true, force: true });
      fs.rmSync(file, { force: true });
    }
  });

  it('backup --table NAME holds that table only (verified as such), and restores alone', async () => {
    const file = path.join(dir, 'users.dump');
    const made = await cli(source.url, ['backup', file, '--table', 'users', '--verify']);
    expect(made.code).toBe(0);
    const users = (await rowsOf(source.url, 'SELECT email FROM users ORDER BY id')).length;
    expect(made.stdout).toMatch(
      new RegExp(`^backed up \\S+ \\(table users\\) to .*; verified: restored into a scratch database, 1 table and ${users} rows?,`),
    );
    const target = await createTestDatabase('ops_trust_table');
    try {
      expect((await cli(target.url, ['restore', file])).code).toBe(0);
      expect(await tablesOf(target.url)).toEqual(['users']);
      expect(await rowsOf(target.url, 'SELECT email FROM users ORDER BY id')).toEqual(
        await rowsOf(source.url, 'SELECT email FROM users ORDER BY id'),
      );
    } finally {
      await target.drop();
    }
  });

  it('backup - writes the archive to stdout and reports its size on stderr, as the file form does', async () => {
    const file = path.join(dir, 'stdout.dump');
    const made = await shell(`usualstore_db backup - > ${JSON.stringify(file)}`, { DATABASE_URL: source.url });
    expect(made.code).toBe(0);
    const size = fs.statSync(file).size;
    const shown = size < 10 * 1024 ? `${size} bytes` : `${Math.round(size / 1024)} kB`;
    expect(expectOneLine(made.stderr)).toMatch(
      new RegExp(`^usualstore-db: backed up \\S+ to stdout: ${shown} in ${ELAPSED} \\(pg_dump custom format, `),
    );
    const target = await createTestDatabase('ops_trust_stdout');
    try {
      expect((await cli(target.url, ['restore', file])).code).toBe(0);
      expect(await tablesOf(target.url)).toEqual(await tablesOf(source.url));
    } finally {
      await target.drop();
    }
  });

  it('restore - reads stdin; gzip is recognised, custom format and plain SQL, from a file and from stdin', async () => {
    const plainGz = path.join(dir, 'plain.sql.gz');
    execFileSync('bash', ['-c', `${JSON.stringify(pgDump)} --no-owner ${JSON.stringify(source.url)} | gzip > ${JSON.stringify(plainGz)}`]);
    const customGz = path.join(dir, 'custom.dump.gz');
    execFileSync('bash', ['-c', `gzip -c ${JSON.stringify(archive)} > ${JSON.stringify(customGz)}`]);
    const cases: Array<[string, string, RegExp]> = [
      ['custom on stdin', `cat ${JSON.stringify(archive)} | usualstore_db restore -`, /^restored stdin \(\d+ kB\) into /],
      [
        'gzip custom on stdin',
        `cat ${JSON.stringify(customGz)} | usualstore_db restore -`,
        /^restored stdin \(\d+ (kB|bytes) gzip\) into /,
      ],
      [
        'gzip custom file',
        `usualstore_db restore ${JSON.stringify(customGz)}`,
        /^restored \S+custom\.dump\.gz \(\d+ (kB|bytes) gzip\) into /,
      ],
      [
        'gzip plain SQL file',
        `usualstore_db restore ${JSON.stringify(plainGz)}`,
        /^restored \S+plain\.sql\.gz \(\d+ (kB|bytes) gzip\) into /,
      ],
      ['gzip plain SQL on stdin', `usualstore_db restore - < ${JSON.stringify(plainGz)}`, /^restored stdin \(\d+ (kB|bytes) gzip\) into /],
    ];
    const expected = await rowsOf(source.url, 'SELECT email, first_name FROM customers ORDER BY id');
    for (const [what, script, shown] of cases) {
      const target = await createTestDatabase('ops_trust_in');
      try {
        const restored = await shell(script, { DATABASE_URL: target.url });
        expect({ what, code: restored.code, stderr: restored.stderr }).toEqual({ what, code: 0, stderr: '' });
        expect(restored.stdout).toMatch(shown);
        expect(await tablesOf(target.url)).toEqual(await tablesOf(source.url));
        expect(await rowsOf(target.url, 'SELECT email, first_name FROM customers ORDER BY id')).toEqual(expected);
      } finally {
        await target.drop();
      }
    }
  });

  it('restore refuses what is not a backup on stdin, empty stdin and a broken gzip, in one line, changing nothing', async () => {
    const target = await createTestDatabase('ops_trust_bad');
    const broken = path.join(dir, 'broken.dump.gz');
    try {
      const gz = execFileSync('gzip', ['-c', archive]);
      fs.writeFileSync(broken, gz.subarray(0, Math.floor(gz.length / 2)));
      const cases: Array<[string, string]> = [
        [`echo 'DROP TABLE users;' | usualstore_db restore -`, 'usualstore-db: stdin is neither a pg_dump custom-format archive'],
        [`usualstore_db restore - < /dev/null`, 'usualstore-db: restore - read nothing from stdin; nothing was changed'],
        [`usualstore_db restore ${JSON.stringify(broken)}`, `usualstore-db: ${broken} is gzip-compressed but does not decompress (`],
      ];
      for (const [script, message] of cases) {
        const refused = await shell(script, { DATABASE_URL: target.url });
        expect(refused.code).toBe(1);
        expect(expectOneLine(refused.stderr).startsWith(message)).toBe(true);
      }
      expect(await tablesOf(target.url)).toEqual([]);
    } finally {
      await target.drop();
    }
  });

  it('restore --create makes a new database; refuses one that exists; a failed restore drops it again', async () => {
    const name = `ops_trust_created_${process.pid}`;
    const url = urlFor(name);
    const dropIt = () => withClient(urlFor('postgres'), (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    const exists = async () => (await rowsOf(urlFor('postgres'), `SELECT 1 FROM pg_database WHERE datname = '${name}'`)).length === 1;
    try {
      const created = await cli(url, ['restore', archive, '--create']);
      expect(created.stderr).toBe('');
      expect(created.code).toBe(0);
      expect(created.stdout).toMatch(
        new RegExp(`^restored \\S+usualstore\\.dump \\(\\d+ kB\\) into \\S+/${name} \\(created by --create\\) in `),
      );
      expect(await tablesOf(url)).toEqual(await tablesOf(source.url));

      const again = await cli(url, ['restore', archive, '--create']);
      expect(again.code).toBe(1);
      expect(expectOneLine(again.stderr)).toBe(
        `usualstore-db: database ${name} already exists; restore --create makes a new one (without --create, restore writes into ${name} if it has no tables); nothing was changed`,
      );
      await dropIt();

      const truncated = path.join(dir, 'cut.dump');
      const bytes = fs.readFileSync(archive);
      fs.writeFileSync(truncated, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
      const failed = await cli(url, ['restore', truncated, '--create']);
      expect(failed.code).toBe(1);
      expect(expectOneLine(failed.stderr)).toMatch(
        /failed and was rolled back \(nothing was restored\): .*; the database --create made was dropped again$/,
      );
      expect(await exists()).toBe(false);
    } finally {
      await dropIt();
    }
  });
});
