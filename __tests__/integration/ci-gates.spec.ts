/**
 * The gates CI runs, against a real PostgreSQL 15: `migrate status --check` fails unless the
 * database is at the directory with nothing wrong; `migrate lint --fail-on` picks the level that
 * fails; the linter's own failure has an exit status of its own.
 */
import fs from 'node:fs';
import path from 'node:path';
import { runCli } from '../support/cli';
import { makeCheckout, removeCheckout, run } from '../support/checkout';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { BASIC, makeMigrationsDir, removeDir, writeMigration } from './migrator-fixtures';

describe('migrate status --check', () => {
  let db: TestDatabase;
  let dir: string;
  const cli = (...args: string[]) => runCli([...args, '--migrations-dir', dir], { env: { DATABASE_URL: db.url } });

  beforeEach(async () => {
    db = await createTestDatabase('ci_check');
    dir = makeMigrationsDir(BASIC);
    expect((await cli('migrate', 'up')).code).toBe(0);
  });
  afterEach(async () => {
    await db.drop();
    removeDir(dir);
  });

  it('exits 0 when the database is at the directory, and prints the status as usual', async () => {
    const result = await cli('migrate', 'status', '--check');
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(/3 applied, 0 pending$/m);
  });

  it('exits 2 with a migration pending, naming it', async () => {
    writeMigration(dir, { name: '20240101000004_more', up: 'SELECT 1', down: 'SELECT 1' });
    const result = await cli('migrate', 'status', '--check');
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('usualstore-db: check: 1 pending: 20240101000004_more\n');
  });

  it('exits 2 with an applied migration edited, saying what migrate up would refuse', async () => {
    fs.appendFileSync(path.join(dir, '20240101000002_add_colour.ts'), '// edited\n');
    const result = await cli('migrate', 'status', '--check', '--json');
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stdout)).toMatchObject({ edited: ['20240101000002_add_colour'] });
    expect(result.stderr).toMatch(
      /^usualstore-db: check: migrate up would refuse: applied migration 20240101000002_add_colour changed since applied/,
    );
  });
});

describe('migrate lint --fail-on, and the linter failing', () => {
  let dir: string;
  beforeAll(() => {
    dir = makeMigrationsDir([{ name: '29990101000001_create_things', up: 'CREATE TABLE things (id int)' }]);
    // A warning of squawk's: an index built without CONCURRENTLY on an existing table.
    writeMigration(dir, { name: '29990101000002_index_things', up: 'CREATE INDEX things_id ON things (id)' });
  });
  afterAll(() => removeDir(dir));

  it('fails on warnings by default, only on errors with --fail-on error', async () => {
    const lint = (...args: string[]) => runCli(['migrate', 'lint', '29990101000002_index_things', '--migrations-dir', dir, ...args]);
    const byDefault = await lint();
    expect(byDefault.code).toBe(1);
    expect(byDefault.stdout).toMatch(/^29990101000002_index_things: require-concurrent-index-creation \(warning\)/m);
    expect(byDefault.stdout).toMatch(/help: .*Here: call pgm\.noTransaction\(\) first/);
    const errorsOnly = await lint('--fail-on', 'error');
    expect(errorsOnly.code).toBe(0);
    expect(errorsOnly.stdout).toMatch(/^lint: 1 finding \(0 at --fail-on error or above\) in 1 migration \(named\)/m);
  });

  it('exits 3 when squawk itself fails (a broken .squawk.toml), not 1 as for a finding', async () => {
    const checkout = makeCheckout('lint-broken');
    try {
      fs.writeFileSync(path.join(checkout, '.squawk.toml'), 'excluded_rules = [not toml');
      const result = await run(
        process.execPath,
        [path.join(checkout, 'bin', 'usualstore-db.js'), 'migrate', 'lint', '29990101000002_index_things', '--migrations-dir', dir],
        { cwd: checkout },
      );
      expect(result.code).toBe(3);
      expect(result.stderr).toMatch(/^usualstore-db: squawk failed \(exit \d+\): /);
    } finally {
      removeCheckout(checkout);
    }
  });
});
