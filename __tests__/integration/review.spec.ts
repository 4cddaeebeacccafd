/**
 * Reviewing a schema change, against a real PostgreSQL 15: `migrate plan --print-only` touches
 * nothing, `migrate lint` (real squawk) fails a bad migration naming the rule and leaves the
 * baselined history alone, `migrate drift` catches hand-made changes and reports none on a clean
 * database, leaving nothing behind.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { NEWEST_MIGRATION, PROJECT_MIGRATIONS } from '../support/migration-prefix';
import { cliFor, runCli } from '../support/cli';
import { type TestDatabase } from '../support/database';
import { expectOneLine, makeMigrationsDir, query, removeDir, writeMigration } from './migrator-fixtures';
import { migratedDatabase } from './operations-fixtures';
import { ELAPSED } from '../support/text';

const LOCK_ID = '7241865325823964';

/** What a check must leave as it found it: sequences, locks, schemas. */
async function footprint(url: string) {
  return {
    sequences: await query(url, 'select sequencename, last_value from pg_sequences order by 1'),
    schemas: await query(url, "select nspname from pg_namespace where nspname not like 'pg_%' order by 1"),
    tables: await query(
      url,
      "select table_schema, table_name from information_schema.tables where table_schema not in ('pg_catalog', 'information_schema') order by 1, 2",
    ),
  };
}

describe('migrate plan --print-only', () => {
  let db: TestDatabase;
  let dir: string;
  const cli = cliFor(() => ({ url: db.url, migrationsDir: dir }));
  beforeEach(async () => {
    db = await migratedDatabase('review_print');
    dir = makeMigrationsDir([]);
    for (const file of fs.readdirSync(path.join(__dirname, '..', '..', 'migrations'))) {
      if (file.endsWith('.ts')) fs.copyFileSync(path.join(__dirname, '..', '..', 'migrations', file), path.join(dir, file));
    }
    writeMigration(dir, {
      name: '29990101000001_more_widgets',
      up: "ALTER TABLE widgets ADD COLUMN colour text; INSERT INTO widgets (name) VALUES ('third')",
    });
  });
  afterEach(async () => {
    await db.drop();
    removeDir(dir);
  });

  it('prints the SQL without running it: no wait behind locks, no sequence moved, nothing left', async () => {
    const before = await footprint(db.url);
    // An application holding the table, and someone holding the migration lock: a verified plan
    // would wait for both; print-only takes no lock at all.
    const app = new Client({ connectionString: db.url });
    await app.connect();
    try {
      await app.query(`SELECT pg_advisory_lock(${LOCK_ID})`);
      await app.query('BEGIN');
      await app.query('LOCK TABLE widgets IN ACCESS EXCLUSIVE MODE');
      const printed = await cli('migrate', 'plan', '--print-only', '--lock-timeout', '1');
      expect(printed.stderr).toBe('');
      expect(printed.code).toBe(2);
      expect(printed.stdout).toContain(
        "-- 1/1 29990101000001_more_widgets (printed, not run)\nALTER TABLE widgets ADD COLUMN colour text; INSERT INTO widgets (name) VALUES ('third');\n",
      );
      expect(printed.stdout).toMatch(
        new RegExp(
          String.raw`^1 pending migration of postgres@\S+ printed in ${ELAPSED}, not run \(print-only: no lock taken, no statement run, no sequence moved\)`,
          'm',
        ),
      );
      const verified = await cli('migrate', 'plan', '--lock-timeout', '1');
      expect(verified.code).toBe(1);
    } finally {
      await app.end();
    }
    expect(await footprint(db.url)).toEqual(before);
  });

  it("shows an SQL migration's statements as its file has them, without a stray `;` line", async () => {
    fs.writeFileSync(
      path.join(dir, '29990101000002_sql_file.sql'),
      '-- Up Migration\nCREATE TABLE sql_file (id int);\nCREATE INDEX sql_file_id ON sql_file (id);\n-- Down Migration\nDROP TABLE sql_file;\n',
    );
    const printed = await cli('migrate', 'plan', '--print-only');
    expect(printed.stdout).toContain(
      '-- 2/2 29990101000002_sql_file (printed, not run)\n-- Up Migration\nCREATE TABLE sql_file (id int);\nCREATE INDEX sql_file_id ON sql_file (id);\n\n',
    );
    expect(printed.stdout.split('\n').filter((line) => line.trim() === ';')).toEqual([]);
  });
});

describe('migrate lint', () => {
  let dir: string;
  const lint = (...args: string[]) => runCli(['migrate', 'lint', ...args, '--migrations-dir', dir]);
  beforeEach(() => {
    dir = makeMigrationsDir([
      { name: '29990101000001_create_things', up: 'CREATE TABLE things (id serial PRIMARY KEY, label varchar(100) NOT NULL)' },
      { name: '29990101000002_index_things', up: 'CREATE INDEX things_label ON things (label)' },
      { name: '29990101000003_token', up: 'ALTER TABLE things ADD COLUMN token uuid NOT NULL DEFAULT gen_random_uuid()' },
    ]);
  });
  afterEach(() => removeDir(dir));

  it('fails a non-concurrent index on an existing table and a volatile default, naming the rule and the statement', async () => {
    const result = await lint();
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /^29990101000002_index_things: require-concurrent-index-creation \(warning\): .*\n {2}in: CREATE INDEX things_label ON things \(label\);\n/m,
    );
    expect(result.stdout).toMatch(/^29990101000003_token: adding-field-with-default \(warning\): /m);
    // Creating a table and indexing it in the same migration is fine.
    expect(result.stdout).not.toMatch(/^29990101000001_create_things:/m);
    expect(result.stdout).toMatch(
      /^lint: \d+ findings in 3 migrations \(after the baseline 20251226110000_add_role_to_users\); history not judged \(\S+ is not in a git work tree\); rules: squawk, as \.squawk\.toml configures it, and the TypeScript type check$/m,
    );
    const json = JSON.parse((await lint('--json')).stdout) as { linted: string[]; findings: { migration: string; rule: string }[] };
    expect(json.linted).toHaveLength(3);
    expect(json.findings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ migration: '29990101000002_index_things', rule: 'require-concurrent-index-creation' }),
      ]),
    );
  });

  it('passes a careful migration, and lints only the ones named when given', async () => {
    fs.writeFileSync(
      path.join(dir, '29990101000002_index_things.ts'),
      `import type { MigrationBuilder } from 'node-pg-migrate';\nexport function up(pgm: MigrationBuilder): void { pgm.noTransaction(); pgm.sql('CREATE INDEX CONCURRENTLY things_label ON things (label)'); }\n`,
    );
    const named = await lint('29990101000001_create_things', '29990101000002_index_things');
    expect(named.stdout).toMatch(/^lint: 0 findings in 2 migrations \(named\)/m);
    expect(named.code).toBe(0);
  });

  it("leaves the project's baselined history alone: lint of the real migrations passes", async () => {
    const result = await runCli(['migrate', 'lint']);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    // Judged against the base when the project is a git checkout with one (CI's clone is).
    // New migrations after the baseline are linted (and must pass); the history before is not.
    expect(result.stdout).toMatch(
      /^lint: 0 findings in (no migration to lint|\d+ migrations? \(after the baseline \S+\)); history (judged against \S+|not judged \(.*\)); rules: squawk, as \.squawk\.toml configures it, and the TypeScript type check\n$/,
    );
  });

  it('names a migration that does not exist', async () => {
    const result = await lint('29990101000009_nope');
    expect(result.code).toBe(1);
    expect(expectOneLine(result.stderr)).toBe(`usualstore-db: no migration 29990101000009_nope in ${dir}`);
  });
});

describe('migrate drift', () => {
  let db: TestDatabase;
  const drift = (...args: string[]) => runCli(['migrate', 'drift', ...args], { env: { DATABASE_URL: db.url } });
  beforeEach(async () => {
    db = await migratedDatabase('review_drift');
  });
  afterEach(async () => db.drop());

  it('reports nothing on a clean database, and leaves nothing behind', async () => {
    const before = await footprint(db.url);
    const result = await drift();
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toBe(
      `no drift: ${db.url.replace(/^postgres:\/\/([^:]+):[^@]*@/, '$1@')} (at ${NEWEST_MIGRATION} (${PROJECT_MIGRATIONS.length} migrations applied)) has exactly the schema its applied migrations build\n`,
    );
    expect(await footprint(db.url)).toEqual(before);
  });

  it('catches a column added by hand, an index dropped and one added by hand (each named), and a changed default', async () => {
    await query(db.url, 'ALTER TABLE users ADD COLUMN nickname text');
    await query(db.url, 'DROP INDEX idx_users_role');
    await query(db.url, 'CREATE INDEX widgets_name_by_hand ON widgets (name)');
    await query(db.url, 'ALTER TABLE widgets ALTER COLUMN price SET DEFAULT 5');
    const result = await drift();
    expect(result.code).toBe(2);
    expect(result.stdout.trim().split('\n')).toEqual([
      'drift: column widgets.price is integer DEFAULT 5, the migrations make it integer',
      'drift: index missing on users: index USING btree (role) (idx_users_role in the migrations)',
      'drift: column users.nickname (text) is not made by any migration',
      'drift: index widgets_name_by_hand on widgets: index USING btree (name) is not made by any migration',
      expect.stringMatching(
        new RegExp(
          `^4 differences between postgres@\\S+ \\(at ${NEWEST_MIGRATION} \\(${PROJECT_MIGRATIONS.length} migrations applied\\)\\) and what its applied migrations build$`,
        ),
      ),
    ]);
    const json = JSON.parse((await drift('--json')).stdout) as { differences: string[]; applied: number };
    expect(json.applied).toBe(PROJECT_MIGRATIONS.length);
    expect(json.differences).toContain('column users.nickname (text) is not made by any migration');
  });
});
