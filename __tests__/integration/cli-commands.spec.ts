/**
 * The command layer as users meet it, against a real PostgreSQL 15: help and version, the
 * deployed database as the default target, repairs with their audit trail, destructive commands
 * that ask (a real pseudo-terminal through util-linux `script`), screens, shell/backup/restore
 * forms and SQL migrations.
 */
import fs from 'node:fs';
import path from 'node:path';
import { CLI, cliFor, PROJECT_ROOT, runCli } from '../support/cli';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { commandMissing, runProcess } from '../support/process';
import { itUnless } from '../support/skip';
import { startTestServer, type TestServer } from '../support/test-server';
import { appliedNames, BASIC, expectOneLine, makeMigrationsDir, query, removeDir, writeMigration } from './migrator-fixtures';
import { tempDir } from '../support/temp';
import { ELAPSED } from '../support/text';

const VERSION = (JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

/** `usualstore-db ARGS` on a pseudo-terminal (util-linux script), typing `typed`. */
function onTerminal(args: string[], typed: string, env: NodeJS.ProcessEnv) {
  const command = [process.execPath, CLI, ...args].map((word) => `'${word.replace(/'/g, `'\\''`)}'`).join(' ');
  return runProcess('script', ['-qec', command, '/dev/null'], { cwd: PROJECT_ROOT, env: { ...process.env, ...env }, input: typed });
}
const scriptMissing = commandMissing('script', ['--version']);
const itOnTerminal = (name: string, fn: jest.ProvidesCallback, timeout?: number) =>
  itUnless(scriptMissing, 'terminal', `the terminal prompt test "${name}" (a pseudo-terminal)`)(name, fn, timeout);

describe('help and version', () => {
  it('--version prints the package version', async () => {
    const result = await runCli(['--version']);
    expect(result).toEqual({ code: 0, stdout: `usualstore-db ${VERSION}\n`, stderr: '' });
  });

  it('each command has --help, from the same table the parser reads', async () => {
    const help = await runCli(['migrate', 'down', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout.split('\n').slice(0, 3)).toEqual([
      'usage: usualstore-db migrate down [options]',
      '',
      'Revert the newest applied migrations, newest first.',
    ]);
    // The options the old usage forgot (--lock-timeout, --allow-edited) are there, with defaults.
    expect(help.stdout).toMatch(/^ {2}--lock-timeout SECONDS +how long to wait for the migration lock \(default: 60\)$/m);
    expect(help.stdout).toMatch(/^ {2}--allow-edited +/m);
    expect(help.stdout).toMatch(/^ {2}-y, --yes +/m);
  });

  it('suggests the command meant, in one line', async () => {
    const result = await runCli(['stauts']);
    expect(result.code).toBe(1);
    expect(expectOneLine(result.stderr)).toBe('usualstore-db: unknown command "stauts" (did you mean "status"?); run usualstore-db --help');
  });
});

describe('the deployed database is the default target', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
    await query(server.url, 'CREATE DATABASE usualstore');
  });
  afterAll(async () => server?.stop());

  it('without --database-url or DATABASE_URL, uses 127.0.0.1, the configured port, postgres/usualstore, and says so', async () => {
    const password = decodeURIComponent(new URL(server.url).password);
    const env = { DATABASE_URL: undefined, USUALSTORE_DB_HOST_PORT: String(server.port), PGPASSWORD: password };
    const result = await runCli(['status'], { env });
    expect(result.code).toBe(0);
    expect(expectOneLine(result.stderr)).toBe(
      `usualstore-db: no --database-url or DATABASE_URL: using the deployed database postgres@127.0.0.1:${server.port}/usualstore (password: PGPASSWORD)`,
    );
    // A URL to copy, without the password.
    expect(result.stdout).toMatch(new RegExp(`^url +postgres://postgres@127\\.0\\.0\\.1:${server.port}/usualstore$`, 'm'));
    expect(result.stdout).not.toContain(password);
    const up = await runCli(['migrate', 'up', '--migrations-dir', makeMigrationsDir(BASIC)], { env });
    expect(up.code).toBe(0);
    expect(up.stdout).toMatch(new RegExp(`^migrated postgres@127\\.0\\.0\\.1:${server.port}/usualstore: 3 migrations applied`, 'm'));
  });

  it('says which target it tried when that database is not there', async () => {
    const result = await runCli(['migrate', 'status'], { env: { DATABASE_URL: undefined, USUALSTORE_DB_HOST_PORT: '1', PGPASSWORD: 'x' } });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([
      'usualstore-db: no --database-url or DATABASE_URL: using the deployed database postgres@127.0.0.1:1/usualstore (password: PGPASSWORD)',
      'usualstore-db: nothing is listening on 127.0.0.1:1 (connection refused)',
    ]);
  });
});

describe('repairs, destructive commands, screens', () => {
  let db: TestDatabase;
  let dir: string;
  const cli = cliFor(() => ({ url: db.url, migrationsDir: dir }));

  beforeEach(async () => {
    db = await createTestDatabase('cli_cmds');
    dir = makeMigrationsDir(BASIC);
    expect((await cli('migrate', 'up')).code).toBe(0);
  });
  afterEach(async () => {
    await db.drop();
    removeDir(dir);
  });

  it('migrate accept records a reviewed edit for good, kept in the audit trail', async () => {
    const file = path.join(dir, '20240101000002_add_colour.ts');
    fs.appendFileSync(file, '// reviewed: a comment only\n');
    expect((await cli('migrate', 'up')).code).toBe(1);
    // A repair always says why.
    const noReason = await cli('migrate', 'accept', '20240101000002_add_colour');
    expect(noReason.code).toBe(1);
    expect(expectOneLine(noReason.stderr)).toBe('usualstore-db: migrate accept needs --reason TEXT (why, for the audit trail)');
    const refusedAccept = await cli('migrate', 'accept', '20240101000001_create_things', '--reason', 'x');
    expect(refusedAccept.code).toBe(1);
    expect(expectOneLine(refusedAccept.stderr)).toMatch(
      /^usualstore-db: migrate accept takes only edited applied migrations \(see migrate status\); not one: 20240101000001_create_things; nothing was changed$/,
    );

    const accepted = await cli('migrate', 'accept', '20240101000002_add_colour', '--reason', 'comment only (PR #12)');
    expect(accepted.code).toBe(0);
    expect(accepted.stdout).toMatch(
      /^accepted the edit of 20240101000002_add_colour: recorded checksum [0-9a-f]{12}… -> [0-9a-f]{12}… \(it is not re-run\)$/m,
    );
    expect(accepted.stdout).toMatch(
      /^repaired 1 migration of postgres@\S+; kept in public\.pgmigrations_audit \(migrate status lists it\)$/m,
    );
    // Every later deploy goes through, without a flag.
    expect((await cli('migrate', 'up')).code).toBe(0);
    const status = await cli('migrate', 'status');
    expect(status.stdout).toMatch(
      /^ {2}\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC {2}accept 20240101000002_add_colour by postgres: comment only \(PR #12\)$/m,
    );
    const json = JSON.parse((await cli('migrate', 'status', '--json')).stdout) as {
      edited: string[];
      repairs: { action: string; name: string; by: string; reason: string }[];
    };
    expect(json.edited).toEqual([]);
    expect(json.repairs).toMatchObject([
      { action: 'accept', name: '20240101000002_add_colour', by: 'postgres', reason: 'comment only (PR #12)' },
    ]);
  });

  it('migrate forget drops the record of a deleted migration, leaving the schema', async () => {
    fs.rmSync(path.join(dir, '20240101000003_seed_things.ts'));
    const stuck = await cli('migrate', 'down', '--count', '1', '--yes');
    expect(stuck.code).toBe(1);
    expect(expectOneLine(stuck.stderr)).toMatch(
      /cannot revert 20240101000003_seed_things: no such file .*or drop its record with migrate forget$/,
    );
    const forgot = await cli('migrate', 'forget', '20240101000003_seed_things', '--reason', 'folded into 0002');
    expect(forgot.code).toBe(0);
    expect(forgot.stdout).toMatch(/^forgot the record of 20240101000003_seed_things \(the schema it built is unchanged\)$/m);
    expect(await appliedNames(db.url)).toEqual(BASIC.slice(0, 2).map((m) => m.name));
    expect(await query(db.url, 'select count(*)::int as n from things')).toEqual([{ n: 1 }]);
    const audit = await query(db.url, 'select action, name from pgmigrations_audit');
    expect(audit).toEqual([{ action: 'forget', name: '20240101000003_seed_things' }]);
  });

  it('migrate down without a terminal and without --yes refuses, changing nothing; --count above the applied is an error', async () => {
    const refused = await cli('migrate', 'down', '--count', '2');
    expect(refused.code).toBe(1);
    expect(expectOneLine(refused.stderr)).toMatch(
      /^usualstore-db: not confirmed: revert 2 migrations of postgres@\S+, newest first: 20240101000003_seed_things, 20240101000002_add_colour \(each down undoes its migration, dropping what it created\); pass --yes to confirm \(there is no terminal to ask at\); nothing was changed$/,
    );
    const tooMany = await cli('migrate', 'down', '--count', '30', '--yes');
    expect(tooMany.code).toBe(1);
    expect(expectOneLine(tooMany.stderr)).toMatch(
      /^usualstore-db: --count 30 is more than the 3 applied migrations of postgres@\S+; nothing was reverted \(--all reverts every one\)$/,
    );
    expect(await appliedNames(db.url)).toEqual(BASIC.map((m) => m.name));
  });

  itOnTerminal('migrate down asks at a terminal: y reverts, anything else does not', async () => {
    const no = await onTerminal(['migrate', 'down', '--count', '1', '--migrations-dir', dir], 'n\n', { DATABASE_URL: db.url });
    expect(no.stdout).toMatch(
      /usualstore-db: revert 1 migration of postgres@\S+, newest first: 20240101000003_seed_things \(.*\)\? \[y\/N\] /,
    );
    expect(no.stdout).toMatch(/usualstore-db: not confirmed; nothing was changed/);
    expect(await appliedNames(db.url)).toHaveLength(3);
    const yes = await onTerminal(['migrate', 'down', '--count', '1', '--migrations-dir', dir], 'y\n', { DATABASE_URL: db.url });
    expect(yes.stdout).toMatch(/^reverted 20240101000003_seed_things /m);
    expect(await appliedNames(db.url)).toHaveLength(2);
  });

  itOnTerminal('colour on a terminal only, and never with NO_COLOR', async () => {
    const coloured = await onTerminal(['migrate', 'status', '--migrations-dir', dir], '', {
      DATABASE_URL: db.url,
      NO_COLOR: '',
      TERM: 'xterm',
    });
    expect(coloured.stdout).toContain('\u001b[1mSTATE');
    const plain = await onTerminal(['migrate', 'status', '--migrations-dir', dir], '', {
      DATABASE_URL: db.url,
      NO_COLOR: '1',
      TERM: 'xterm',
    });
    expect(plain.stdout).not.toContain('\u001b[');
    expect((await cli('migrate', 'status')).stdout).not.toContain('\u001b[');
  });

  it('migrate down --all that stops part-way says where the database is', async () => {
    writeMigration(dir, {
      name: '20240101000004_guarded',
      up: 'CREATE TABLE guarded (id int)',
      down: "DO $$ BEGIN RAISE EXCEPTION 'guarded: refusing'; END $$",
    });
    expect((await cli('migrate', 'up')).code).toBe(0);
    const result = await cli('migrate', 'down', '--all', '--yes');
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /^stopped after reverting 0 migrations of 4; postgres@\S+ is at 20240101000004_guarded \(4 migrations applied\)$/m,
    );
    expect(expectOneLine(result.stderr)).toMatch(/migration 20240101000004_guarded \(down\) failed and was rolled back: guarded: refusing/);
  });

  it('JSON keys are snake_case in every command', async () => {
    const keys = (value: unknown): string[] =>
      typeof value !== 'object' || value === null
        ? []
        : Array.isArray(value)
          ? value.flatMap(keys)
          : Object.entries(value).flatMap(([k, v]) => [k, ...(/^\d{14}_/.test(k) ? [] : keys(v))]);
    for (const args of [
      ['migrate', 'status', '--json'],
      ['status', '--json'],
    ]) {
      const all = keys(JSON.parse((await cli(...args)).stdout)).filter((k) => !/^\d{14}_/.test(k));
      expect(all.filter((k) => !/^[a-z0-9_]+$/.test(k))).toEqual([]);
    }
  });
});

describe('shell, backup and restore forms', () => {
  let db: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    db = await createTestDatabase('cli_forms');
    dir = tempDir('forms');
    await query(db.url, "CREATE TABLE items (id serial PRIMARY KEY, label text); INSERT INTO items (label) VALUES ('a'), ('b')");
  });
  afterAll(async () => {
    await db.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('shell with piped SQL stops at the first error and exits non-zero; psql options pass without --', async () => {
    const piped = await runCli(['shell'], { env: { DATABASE_URL: db.url }, input: 'select 1/0;\nselect 424242;\n' });
    expect(piped.code).not.toBe(0);
    expect(piped.stderr).toMatch(/division by zero/);
    expect(piped.stdout).not.toContain('424242');
    const direct = await runCli(['shell', '-tA', '-c', 'select count(*) from items'], { env: { DATABASE_URL: db.url } });
    expect(direct).toMatchObject({ code: 0, stdout: '2\n' });
  });

  it('backup - writes the archive to stdout, the report to stderr', async () => {
    const result = await runProcess('sh', ['-c', `"${process.execPath}" "${CLI}" backup - > "${dir}/piped.dump"`], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, DATABASE_URL: db.url },
    });
    expect(result.code).toBe(0);
    expect(expectOneLine(result.stderr)).toMatch(
      new RegExp(String.raw`^usualstore-db: backed up postgres@\S+ to stdout: \d+ (bytes|kB) in ${ELAPSED} \(pg_dump custom format, `),
    );
    expect(fs.readFileSync(path.join(dir, 'piped.dump')).subarray(0, 5).toString()).toBe('PGDMP');
    expect(fs.existsSync(path.join(PROJECT_ROOT, '-'))).toBe(false);
  });

  it("restore takes the seed's plain SQL dump (pg_dump > backup.sql), in one transaction", async () => {
    const sql = path.join(dir, 'backup.sql');
    const dumped = await runProcess('pg_dump', ['--no-password', '-f', sql, db.url], { cwd: PROJECT_ROOT, env: process.env });
    expect(dumped.code).toBe(0);
    const target = await createTestDatabase('cli_forms_target');
    try {
      const restored = await runCli(['restore', sql], { env: { DATABASE_URL: target.url } });
      expect(restored.stderr).toBe('');
      expect(restored.code).toBe(0);
      expect(await query(target.url, 'select label from items order by id')).toEqual([{ label: 'a' }, { label: 'b' }]);
      // Into a database that has tables: --force, confirmed; a dump without DROPs fails and rolls back.
      const again = await runCli(['restore', sql, '--force', '--yes'], { env: { DATABASE_URL: target.url } });
      expect(again.code).toBe(1);
      expect(expectOneLine(again.stderr)).toMatch(
        /^usualstore-db: psql into postgres@\S+ failed and was rolled back \(nothing was restored\): .*already exists/,
      );
      expect(await query(target.url, 'select count(*)::int as n from items')).toEqual([{ n: 2 }]);
    } finally {
      await target.drop();
    }
  });

  it('restore --force asks first (no terminal, no --yes: refused, nothing changed)', async () => {
    const archive = path.join(dir, 'for-force.dump');
    expect((await runCli(['backup', archive], { env: { DATABASE_URL: db.url } })).code).toBe(0);
    const refused = await runCli(['restore', archive, '--force'], { env: { DATABASE_URL: db.url } });
    expect(refused.code).toBe(1);
    expect(expectOneLine(refused.stderr)).toMatch(
      /^usualstore-db: not confirmed: replace the objects of \S+ in postgres@\S+, which has 1 tables: .*; pass --yes to confirm/,
    );
  });
});

describe('SQL migrations', () => {
  let db: TestDatabase;
  let dir: string;
  const cli = cliFor(() => ({ url: db.url, migrationsDir: dir }));
  beforeEach(async () => {
    db = await createTestDatabase('cli_sql');
    dir = makeMigrationsDir([]);
  });
  afterEach(async () => {
    await db.drop();
    removeDir(dir);
  });

  it('an .sql file is a migration, as in node-pg-migrate: up, down, checksums', async () => {
    fs.writeFileSync(
      path.join(dir, '20240101000001_things.sql'),
      '-- Up Migration\nCREATE TABLE things (id int);\nINSERT INTO things VALUES (1);\n-- Down Migration\nDROP TABLE things;\n',
    );
    const up = await cli('migrate', 'up');
    expect(up.code).toBe(0);
    expect(up.stdout).toMatch(/^applied 20240101000001_things /m);
    expect(await query(db.url, 'select id from things')).toEqual([{ id: 1 }]);
    expect((await cli('migrate', 'down', '--all', '--yes')).code).toBe(0);
    expect(await query(db.url, "select to_regclass('public.things') is null as gone")).toEqual([{ gone: true }]);
  });

  it('migrate create --sql writes one that is refused until filled in, then applies and reverts', async () => {
    const created = await cli('migrate', 'create', 'add_things', '--sql');
    expect(created.code).toBe(0);
    const file = path.join(
      dir,
      fs.readdirSync(dir).find((f) => f.endsWith('_add_things.sql'))!,
    );
    expect(fs.readFileSync(file, 'utf8')).toMatch(/^-- add_things: .*\n-- Up Migration\n\n-- Down Migration\n/);
    expect(await cli('migrate', 'up')).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/is still the template migrate create wrote \(an empty migration\)/),
    });
    fs.writeFileSync(
      file,
      fs
        .readFileSync(file, 'utf8')
        .replace('-- Up Migration\n', '-- Up Migration\nCREATE TABLE gizmos (id int);\n')
        .replace(/-- Down Migration\n/, '-- Down Migration\nDROP TABLE gizmos;\n'),
    );
    expect((await cli('migrate', 'up')).code).toBe(0);
    expect((await cli('migrate', 'down', '--all', '--yes')).code).toBe(0);
  });

  it('a file that is not a migration is refused in one line, not ignored', async () => {
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'todo\n');
    const result = await cli('migrate', 'up');
    expect(result.code).toBe(1);
    expect(expectOneLine(result.stderr)).toBe(
      `usualstore-db: ${path.join(dir, 'notes.txt')} is not a migration (migrations are .ts .js .cjs .mjs .cts .mts .sql files); move it out of the migrations directory`,
    );
  });
});
