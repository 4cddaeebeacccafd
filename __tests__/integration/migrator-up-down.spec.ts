/**
 * migrate up / down / status against a real PostgreSQL, with fixture migration directories.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { cliFor, PROJECT_ROOT, runCli } from '../support/cli';
import { createTestDatabase, TestDatabase } from '../support/database';
import { appliedNames, BASIC, expectOneLine, makeMigrationsDir, query, removeDir, tableNames, writeMigration } from './migrator-fixtures';
import { ELAPSED } from '../support/text';

describe('migrate up, down and status', () => {
  let db: TestDatabase;
  let dir: string;
  const cli = cliFor(() => ({ url: db.url, migrationsDir: dir }), ['migrate']);

  beforeEach(async () => {
    db = await createTestDatabase('migrator');
    dir = makeMigrationsDir(BASIC);
  });
  afterEach(async () => {
    await db.drop();
    removeDir(dir);
  });

  it('applies every pending migration, one line each, then a summary, and records them for node-pg-migrate', async () => {
    const up = await cli('up');
    expect(up.stderr).toBe('');
    expect(up.code).toBe(0);
    const lines = up.stdout.trim().split('\n');
    expect(lines).toHaveLength(4);
    BASIC.forEach((m, i) => expect(lines[i]).toMatch(new RegExp(`^applied ${m.name} \\(${ELAPSED}\\)$`)));
    expect(lines[3]).toMatch(
      /^migrated postgres@.*: 3 migrations applied in .*; now at 20240101000003_seed_things \(3 migrations applied\)$/,
    );

    expect(await appliedNames(db.url)).toEqual(BASIC.map((m) => m.name));
    expect(await query(db.url, 'select label, colour from things')).toEqual([{ label: 'first', colour: 'red' }]);
    // node-pg-migrate's table, with exactly its columns.
    const columns = await query<{ column_name: string; data_type: string }>(
      db.url,
      "select column_name, data_type from information_schema.columns where table_name = 'pgmigrations' order by ordinal_position",
    );
    expect(columns).toEqual([
      { column_name: 'id', data_type: 'integer' },
      { column_name: 'name', data_type: 'character varying' },
      { column_name: 'run_on', data_type: 'timestamp without time zone' },
    ]);
    const checksums = await query<{ name: string; sha256: string }>(
      db.url,
      'select name, sha256 from pgmigrations_checksums order by name',
    );
    expect(checksums.map((c) => c.name)).toEqual(BASIC.map((m) => m.name));
    for (const c of checksums) expect(c.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('says so in a single line when nothing is pending, and changes nothing', async () => {
    expect((await cli('up')).code).toBe(0);
    const before = await query(db.url, 'select * from pgmigrations order by id');
    const again = await cli('up');
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(
      /^postgres@\S+ is up to date, at 20240101000003_seed_things \(3 migrations applied\); nothing to migrate\n$/,
    );
    expect(await query(db.url, 'select * from pgmigrations order by id')).toEqual(before);
  });

  it('loads no migration file when nothing is pending', async () => {
    // A migration whose module, when loaded, leaves a marker file behind.
    const marker = path.join(dir, 'loaded.marker');
    fs.writeFileSync(
      path.join(dir, '20240101000004_marks_loading.ts'),
      `import fs from 'node:fs';\nfs.writeFileSync(${JSON.stringify(marker)}, 'x');\nexport function up(pgm: any) { pgm.sql('select 1'); }\nexport function down() {}\n`,
    );
    expect((await cli('up')).code).toBe(0);
    expect(fs.existsSync(marker)).toBe(true); // loaded when it was pending
    fs.rmSync(marker);
    const again = await cli('up');
    expect(again.stdout).toMatch(/nothing to migrate/);
    expect(fs.existsSync(marker)).toBe(false);
  });

  it('applies only what was added since', async () => {
    await cli('up');
    writeMigration(dir, {
      name: '20240101000004_add_size',
      up: 'ALTER TABLE things ADD COLUMN size integer',
      down: 'ALTER TABLE things DROP COLUMN size',
    });
    const up = await cli('up');
    expect(up.code).toBe(0);
    expect(up.stdout).toMatch(
      new RegExp(
        String.raw`^applied 20240101000004_add_size \(${ELAPSED}\)\nmigrated .*: 1 migration applied in .*; now at 20240101000004_add_size \(4 migrations applied\)\n$`,
      ),
    );
  });

  it('reverts the newest N with --count, everything with --all, and leaves only the bookkeeping tables', async () => {
    await cli('up');
    const one = await cli('down', '--count', '1', '--yes');
    expect(one.code).toBe(0);
    expect(one.stdout).toMatch(
      new RegExp(
        String.raw`^reverted 20240101000003_seed_things \(${ELAPSED}\)\nreverted 1 migration of .*; now at 20240101000002_add_colour \(2 migrations applied\)\n$`,
      ),
    );
    expect(await query(db.url, 'select count(*)::int as n from things')).toEqual([{ n: 0 }]);
    expect(await appliedNames(db.url)).toEqual(BASIC.slice(0, 2).map((m) => m.name));

    const all = await cli('down', '--all', '--yes');
    expect(all.code).toBe(0);
    expect(all.stdout.split('\n').slice(0, 2)).toEqual([
      expect.stringMatching(/^reverted 20240101000002_add_colour /),
      expect.stringMatching(/^reverted 20240101000001_create_things /),
    ]);
    expect(all.stdout).toMatch(/now at no migration \(none applied\)\n$/);
    expect(await tableNames(db.url)).toEqual(['pgmigrations', 'pgmigrations_checksums']);
    expect(await query(db.url, 'select count(*)::int as n from pgmigrations_checksums')).toEqual([{ n: 0 }]);

    const nothing = await cli('down', '--all', '--yes');
    expect(nothing.code).toBe(0);
    expect(nothing.stdout).toMatch(/has no applied migration; nothing to revert/);

    // And up again rebuilds it all.
    expect((await cli('up')).code).toBe(0);
    expect(await query(db.url, 'select label, colour from things')).toEqual([{ label: 'first', colour: 'red' }]);
  });

  it('refuses to revert a migration whose file is gone, changing nothing', async () => {
    await cli('up');
    fs.rmSync(path.join(dir, `${BASIC[2].name}.ts`));
    const down = await cli('down', '--count', '2', '--yes');
    expect(down.code).toBe(1);
    expect(expectOneLine(down.stderr)).toMatch(/^usualstore-db: cannot revert 20240101000003_seed_things: no such file in /);
    expect(await appliedNames(db.url)).toEqual(BASIC.map((m) => m.name));
  });

  it('status lists applied and pending by name, as text and as JSON', async () => {
    const fresh = await cli('status', '--json');
    expect(fresh.code).toBe(0);
    expect(JSON.parse(fresh.stdout)).toMatchObject({ current: null, applied: [], pending: BASIC.map((m) => m.name) });
    // status is read-only: it did not even create the bookkeeping tables.
    expect(await tableNames(db.url)).toEqual([]);

    await runCli(['migrate', 'up', '--migrations-dir', dir], { env: { DATABASE_URL: db.url } });
    writeMigration(dir, { name: '20240101000004_add_size', up: 'ALTER TABLE things ADD COLUMN size integer' });
    const json = JSON.parse((await cli('status', '--json')).stdout);
    expect(json).toEqual({
      database: expect.stringMatching(/^postgres@.*\/migrator_/),
      current: '20240101000003_seed_things',
      applied: BASIC.map((m) => m.name),
      pending: ['20240101000004_add_size'],
      edited: [],
      missing: [],
      unrecorded: [],
      out_of_order: [],
      applied_at: expect.any(Object),
      repairs: [],
    });
    const text = await cli('status');
    expect(text.code).toBe(0);
    // An aligned table with a header, times in UTC, then the summary.
    const lines = text.stdout.trim().split('\n');
    expect(lines[0]).toBe('STATE    MIGRATION                     APPLIED (UTC)        NOTE');
    for (const [index, m] of BASIC.entries()) {
      expect(lines[index + 1]).toMatch(new RegExp(`^applied  ${m.name} +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d$`));
      const ranAt = new Date(`${lines[index + 1].slice(-19).replace(' ', 'T')}Z`).getTime();
      expect(Math.abs(ranAt - Date.parse(json.applied_at[m.name]))).toBeLessThan(1000);
      expect(Math.abs(ranAt - Date.now())).toBeLessThan(120_000);
    }
    expect(lines[4]).toBe('pending  20240101000004_add_size');
    expect(lines[5]).toBe('');
    expect(lines[6]).toMatch(/is at 20240101000003_seed_things \(3 migrations applied\): 3 applied, 1 pending$/);
  });

  it('refuses a pending migration older than the newest applied one', async () => {
    await cli('up');
    writeMigration(dir, { name: '20240101000000_too_old', up: 'CREATE TABLE too_old (id int)' });
    const up = await cli('up');
    expect(up.code).toBe(1);
    expect(expectOneLine(up.stderr)).toMatch(
      /refusing to migrate: pending 20240101000000_too_old is older than the applied 20240101000003_seed_things/,
    );
    expect(await tableNames(db.url)).not.toContain('too_old');
  });

  it('runs a migration without an explicit down by reversing its up, as node-pg-migrate does', async () => {
    const only = makeMigrationsDir([]);
    try {
      fs.writeFileSync(
        path.join(only, '20240101000001_reversible.ts'),
        "export function up(pgm: any) { pgm.createTable('gadgets', { id: 'id', name: { type: 'text', notNull: true } }); }\n",
      );
      const env = { env: { DATABASE_URL: db.url } };
      expect((await runCli(['migrate', 'up', '--migrations-dir', only], env)).code).toBe(0);
      expect(await tableNames(db.url)).toContain('gadgets');
      expect((await runCli(['migrate', 'down', '--all', '--yes', '--migrations-dir', only], env)).code).toBe(0);
      expect(await tableNames(db.url)).not.toContain('gadgets');
    } finally {
      removeDir(only);
    }
  });

  it('applies a pgm.noTransaction() migration outside a transaction (CREATE INDEX CONCURRENTLY), records it, and reverts it', async () => {
    expect((await cli('up')).code).toBe(0);
    fs.writeFileSync(
      path.join(dir, '20240101000004_index_concurrently.ts'),
      [
        "import type { MigrationBuilder } from 'node-pg-migrate';",
        "export function up(pgm: MigrationBuilder): void { pgm.noTransaction(); pgm.sql('CREATE INDEX CONCURRENTLY things_label ON things (label)'); }",
        "export function down(pgm: MigrationBuilder): void { pgm.noTransaction(); pgm.sql('DROP INDEX CONCURRENTLY things_label'); }",
        '',
      ].join('\n'),
    );
    const up = await cli('up');
    expect(up.stderr).toBe('');
    expect(up.code).toBe(0);
    expect(up.stdout).toMatch(new RegExp(String.raw`^applied 20240101000004_index_concurrently \(${ELAPSED}\)$`, 'm'));
    const [index] = await query<{ valid: boolean }>(
      db.url,
      "SELECT i.indisvalid AS valid FROM pg_index i WHERE i.indexrelid = to_regclass('things_label')",
    );
    expect(index).toEqual({ valid: true });
    expect((await appliedNames(db.url)).at(-1)).toBe('20240101000004_index_concurrently');
    // Its checksum is recorded like any other's: the next run is the no-op.
    expect((await cli('up')).stdout).toMatch(
      /is up to date, at 20240101000004_index_concurrently \(4 migrations applied\); nothing to migrate/,
    );
    const down = await cli('down', '--count', '1', '--yes');
    expect(down.code).toBe(0);
    expect(await query(db.url, "SELECT 1 FROM pg_class WHERE relname = 'things_label'")).toEqual([]);
  });

  it('runs the statements of a pgm.noTransaction() migration one by one, even given in one pgm.sql() string; plan and lint agree', async () => {
    expect((await cli('up')).code).toBe(0);
    fs.writeFileSync(
      path.join(dir, '20240101000004_column_and_index.ts'),
      [
        "import type { MigrationBuilder } from 'node-pg-migrate';",
        'export function up(pgm: MigrationBuilder): void {',
        '  pgm.noTransaction();',
        '  pgm.sql(`ALTER TABLE things ADD COLUMN code text; -- a comment; with a semicolon\nCREATE INDEX CONCURRENTLY things_code ON things (code);`);',
        '}',
        '',
      ].join('\n'),
    );
    const plan = await cli('plan');
    expect(plan.code).toBe(2);
    expect(plan.stdout).toContain(
      [
        '-- 1/1 20240101000004_column_and_index (NOT verified: it runs outside a transaction, pgm.noTransaction())',
        'ALTER TABLE things ADD COLUMN code text;',
        '--   locks: ACCESS EXCLUSIVE on things (blocks reads and writes), measured on a scratch copy',
        '-- a comment; with a semicolon',
        'CREATE INDEX CONCURRENTLY things_code ON things (code);',
        '--   locks: SHARE UPDATE EXCLUSIVE on things (reads and writes go on), measured on a scratch copy',
        '',
      ].join('\n'),
    );
    const lint = await runCli(['migrate', 'lint', '20240101000004_column_and_index', '--migrations-dir', dir]);
    expect(lint.stdout).toMatch(/^lint: 0 findings in 1 migration \(named\)/m);
    const up = await cli('up');
    expect(up.stderr).toBe('');
    expect(up.code).toBe(0);
    expect(await query(db.url, "SELECT i.indisvalid AS valid FROM pg_index i WHERE i.indexrelid = to_regclass('things_code')")).toEqual([
      { valid: true },
    ]);
  });
});

describe('loading migration scripts', () => {
  let db: TestDatabase;
  let dir: string;
  beforeEach(async () => {
    db = await createTestDatabase('migrator_load');
    // Inside the project, so that the files resolve the project's node-pg-migrate.
    dir = path.join(PROJECT_ROOT, '.test-out', `load-${process.pid}-${Date.now()}`);
    fs.mkdirSync(dir, { recursive: true });
  });
  afterEach(async () => {
    await db.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('compiles a TypeScript migration once (cache by checksum); one that imports an ES module still loads (through jiti); a default export works as with jiti', async () => {
    const plain =
      "import type { MigrationBuilder } from 'node-pg-migrate';\nexport function up(pgm: MigrationBuilder): void { pgm.sql('CREATE TABLE compiled (id int)'); }\n";
    const esm =
      "import { PG_MIGRATE_LOCK_ID } from 'node-pg-migrate';\nexport function up(pgm: any): void { pgm.sql(`CREATE TABLE from_esm AS SELECT ${PG_MIGRATE_LOCK_ID}::bigint AS id`); }\n";
    fs.writeFileSync(path.join(dir, '20240101000001_compiled.ts'), plain);
    fs.writeFileSync(path.join(dir, '20240101000002_from_esm.ts'), esm);
    // A default export means what named exports mean (jiti's interopDefault, which node-pg-migrate uses).
    fs.writeFileSync(
      path.join(dir, '20240101000003_default_export.ts'),
      "export default { up(pgm: any) { pgm.sql('CREATE TABLE default_export (id int)'); } };\n",
    );
    const result = await runCli(['migrate', 'up', '--migrations-dir', dir], { env: { DATABASE_URL: db.url } });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(await query(db.url, 'select id::text from from_esm')).toEqual([{ id: '7241865325823964' }]);
    expect(await query(db.url, "select to_regclass('public.default_export') is not null as present")).toEqual([{ present: true }]);
    const compiled = path.join(
      process.env.USUALSTORE_CACHE_DIR!,
      'compiled',
      `${createHash('sha256').update(plain).digest('hex')}.sucrase.cjs`,
    );
    expect(fs.readFileSync(compiled, 'utf8')).toContain('CREATE TABLE compiled');
  });
});
