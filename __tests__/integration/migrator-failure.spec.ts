/**
 * A failing migration leaves nothing of itself behind, the ones before it stay applied, and the
 * command exits non-zero naming the migration and quoting PostgreSQL's error.
 */
import fs from 'node:fs';
import { runCli } from '../support/cli';
import { createTestDatabase, TestDatabase } from '../support/database';
import { appliedNames, BASIC, expectOneLine, makeMigrationsDir, query, removeDir, tableNames, writeMigration } from './migrator-fixtures';
import { ELAPSED } from '../support/text';

describe('a failing migration', () => {
  let db: TestDatabase;
  let dir: string;
  const up = () => runCli(['migrate', 'up', '--migrations-dir', dir], { env: { DATABASE_URL: db.url } });

  beforeEach(async () => {
    db = await createTestDatabase('migrator_fail');
    dir = makeMigrationsDir(BASIC.slice(0, 2));
    // Fails halfway: a table and a row are created before the failing statement.
    writeMigration(dir, {
      name: '20240101000003_breaks_halfway',
      up: "CREATE TABLE half_done (id int); INSERT INTO things (label) VALUES ('half'); ALTER TABLE things ADD COLUMN colour text;",
      down: 'DROP TABLE half_done',
    });
    writeMigration(dir, { name: '20240101000004_after', up: 'CREATE TABLE after_break (id int)', down: 'DROP TABLE after_break' });
  });
  afterEach(async () => {
    await db.drop();
    removeDir(dir);
  });

  it('is rolled back entirely, keeps the earlier ones, and names itself and the PostgreSQL error', async () => {
    const result = await up();
    expect(result.code).toBe(1);
    expect(expectOneLine(result.stderr)).toBe(
      'usualstore-db: migration 20240101000003_breaks_halfway (up) failed and was rolled back: column "colour" of relation "things" already exists; SQLSTATE 42701',
    );
    // Progress up to the failure, then where the database stopped.
    expect(result.stdout).toMatch(
      new RegExp(
        String.raw`^applied 20240101000001_create_things \(${ELAPSED}\)\napplied 20240101000002_add_colour \(${ELAPSED}\)\nstopped after 2 migrations of 4 pending; .* is at 20240101000002_add_colour \(2 migrations applied\)\n$`,
      ),
    );

    expect(await appliedNames(db.url)).toEqual(BASIC.slice(0, 2).map((m) => m.name));
    expect((await query<{ name: string }>(db.url, 'select name from pgmigrations_checksums order by name')).map((r) => r.name)).toEqual(
      BASIC.slice(0, 2).map((m) => m.name),
    );
    const tables = await tableNames(db.url);
    expect(tables).not.toContain('half_done');
    expect(tables).not.toContain('after_break');
    expect(await query(db.url, 'select count(*)::int as n from things')).toEqual([{ n: 0 }]);
  });

  it('names the statement a syntax error is in, not a character offset', async () => {
    writeMigration(dir, { name: '20240101000003_breaks_halfway', up: 'CREATE TABLE oops (id int); CREATE TABEL typo (id int);' });
    const result = await up();
    expect(result.code).toBe(1);
    expect(expectOneLine(result.stderr)).toBe(
      'usualstore-db: migration 20240101000003_breaks_halfway (up) failed and was rolled back: syntax error at or near "TABEL"; in 20240101000003_breaks_halfway.ts: CREATE TABEL typo (id int); SQLSTATE 42601',
    );
    expect(await tableNames(db.url)).not.toContain('oops');
  });

  it('names the failing statement of several (they go to the server together)', async () => {
    fs.writeFileSync(
      `${dir}/20240101000003_breaks_halfway.ts`,
      `export function up(pgm: any) {\n  pgm.sql('CREATE TABLE oops (id int)');\n  pgm.sql('SELECT 1 -- a trailing comment');\n  pgm.sql('SELECT id FROM nope_table');\n  pgm.sql('CREATE TABLE never (id int)');\n}\n`,
    );
    const result = await up();
    expect(result.code).toBe(1);
    expect(expectOneLine(result.stderr)).toBe(
      'usualstore-db: migration 20240101000003_breaks_halfway (up) failed and was rolled back: relation "nope_table" does not exist; in 20240101000003_breaks_halfway.ts: SELECT id FROM nope_table; SQLSTATE 42P01',
    );
    expect(await tableNames(db.url)).not.toContain('oops');
  });

  it('says once, in up, plan and lint alike, the SQL migration, the line of its file and the statement of a syntax error', async () => {
    fs.rmSync(`${dir}/20240101000003_breaks_halfway.ts`);
    fs.writeFileSync(
      `${dir}/20240101000003_breaks_halfway.sql`,
      '-- Up Migration\nCREATE TABLE oops (id int);\n\nSELEC 1\n  FROM oops;\n\nCREATE TABLE other (id int);\n-- Down Migration\nDROP TABLE oops;\n',
    );
    const where = 'in 20240101000003_breaks_halfway.sql line 4: SELEC 1 FROM oops';
    const plan = await runCli(['migrate', 'plan', '--migrations-dir', dir], { env: { DATABASE_URL: db.url } });
    expect(plan.code).toBe(1);
    expect(expectOneLine(plan.stderr)).toBe(
      `usualstore-db: pending migration 20240101000003_breaks_halfway fails: syntax error at or near "SELEC"; ${where}; SQLSTATE 42601; nothing was changed`,
    );
    const result = await up();
    expect(result.code).toBe(1);
    expect(expectOneLine(result.stderr)).toBe(
      `usualstore-db: migration 20240101000003_breaks_halfway (up) failed and was rolled back: syntax error at or near "SELEC"; ${where}; SQLSTATE 42601`,
    );
    // squawk's parser reports several errors in the statement as it recovers: one is said.
    const lint = await runCli(['migrate', 'lint', '20240101000003_breaks_halfway', '--migrations-dir', dir]);
    expect(lint.code).toBe(1);
    expect(lint.stdout).toMatch(
      /^20240101000003_breaks_halfway\.sql line 4: syntax-error \(error\): .*\n {2}in: SELEC 1 FROM oops\nlint: 1 finding in 1 migration/,
    );
  });

  it('names a migration file that does not load', async () => {
    fs.writeFileSync(`${dir}/20240101000003_breaks_halfway.ts`, 'export function up(pgm: any) { pgm.sql("select 1") ');
    const result = await up();
    expect(result.code).toBe(1);
    expect(expectOneLine(result.stderr)).toMatch(
      /^usualstore-db: cannot load migration 20240101000003_breaks_halfway \(.*20240101000003_breaks_halfway\.ts\): /,
    );
    expect(await appliedNames(db.url)).toEqual(BASIC.slice(0, 2).map((m) => m.name));
  });

  it('can be fixed, and the next run finishes the job', async () => {
    expect((await up()).code).toBe(1);
    writeMigration(dir, { name: '20240101000003_breaks_halfway', up: 'CREATE TABLE half_done (id int)', down: 'DROP TABLE half_done' });
    const again = await up();
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(
      /^applied 20240101000003_breaks_halfway .*\napplied 20240101000004_after .*\nmigrated .*: 2 migrations applied/,
    );
    expect(await appliedNames(db.url)).toHaveLength(4);
  });
});
