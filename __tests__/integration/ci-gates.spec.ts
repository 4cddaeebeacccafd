/**
 * The gates CI runs, against a real PostgreSQL 15: `migrate status --check` fails unless the
 * database is at the directory with nothing wrong; `migrate lint --fail-on` picks the level that
 * fails; the linter's own failure has an exit status of its own.
 */
import fs from 'node:fs';
import path from 'node:path';
import { cliFor, runCli } from '../support/cli';
import { makeCheckout, removeCheckout, run } from '../support/checkout';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { BASIC, makeMigrationsDir, removeDir, writeMigration } from './migrator-fixtures';

describe('migrate status --check', () => {
  let db: TestDatabase;
  let dir: string;
  const cli = cliFor(() => ({ url: db.url, migrationsDir: dir }));

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

  it("type-checks a TypeScript migration as tsc does, naming its line, and still lints the others' SQL", async () => {
    fs.writeFileSync(
      path.join(dir, '29990101000003_typo.ts'),
      "import type { MigrationBuilder } from 'node-pg-migrate';\n\nexport function up(pgm: MigrationBuilder): void {\n  pgm.addColum('things', { colour: 'text' });\n}\n",
    );
    try {
      const result = await runCli([
        'migrate',
        'lint',
        '29990101000002_index_things',
        '29990101000003_typo',
        '--migrations-dir',
        dir,
        '--json',
      ]);
      expect(result.code).toBe(1);
      const findings = (
        JSON.parse(result.stdout) as {
          findings: { migration: string; rule: string; line: number | null; message: string; statement: string }[];
        }
      ).findings;
      expect(findings.map(({ migration, rule, line }) => [migration, rule, line])).toEqual([
        ['29990101000003_typo', 'type-error', 4],
        ['29990101000002_index_things', 'require-concurrent-index-creation', null],
      ]);
      expect(findings[0].message).toBe("TS2551: Property 'addColum' does not exist on type 'MigrationBuilder'. Did you mean 'addColumn'?");
      expect(findings[0].statement).toBe("pgm.addColum('things', { colour: 'text' });");
      const text = await runCli(['migrate', 'lint', '29990101000003_typo', '--migrations-dir', dir]);
      expect(text.stdout).toMatch(
        /^29990101000003_typo\.ts line 4: type-error \(error\): TS2551: .*Did you mean 'addColumn'\?\n {2}in: pgm\.addColum/,
      );
    } finally {
      fs.rmSync(path.join(dir, '29990101000003_typo.ts'));
    }
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
