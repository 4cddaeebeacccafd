/**
 * A live database kept safe from its own migrations, against a real PostgreSQL 15: an index a
 * failed CREATE INDEX CONCURRENTLY left invalid is refused by migrate up (with the fix), and
 * named by status and drift; drift judges a database whose history holds CONCURRENTLY migrations.
 */
import fs from 'node:fs';
import path from 'node:path';
import { runCli } from '../support/cli';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { BASIC, expectOneLine, makeMigrationsDir, query, removeDir } from './migrator-fixtures';

/** A pgm.noTransaction() migration running `sql`. */
function writeOutsideTransaction(dir: string, name: string, sql: string): void {
  fs.writeFileSync(path.join(dir, `${name}.ts`), `export function up(pgm: any) { pgm.noTransaction(); pgm.sql(${JSON.stringify(sql)}); }\n`);
}

describe('an index left invalid by a failed CREATE INDEX CONCURRENTLY', () => {
  let db: TestDatabase;
  let dir: string;
  const cli = (...args: string[]) => runCli([...args, '--migrations-dir', dir], { env: { DATABASE_URL: db.url } });
  const valid = async () => query<{ valid: boolean }>(db.url, "SELECT indisvalid AS valid FROM pg_index WHERE indexrelid = to_regclass('things_label_unique')");

  beforeAll(async () => {
    db = await createTestDatabase('live_invalid');
    dir = makeMigrationsDir(BASIC);
    expect((await cli('migrate', 'up')).code).toBe(0);
    await query(db.url, "INSERT INTO things (label) VALUES ('twice'), ('twice')");
    writeOutsideTransaction(dir, '20240101000004_unique_label', 'CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS things_label_unique ON things (label)');
    const failed = await cli('migrate', 'up');
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/could not create unique index "things_label_unique"/);
    expect(await valid()).toEqual([{ valid: false }]);
    await query(db.url, "DELETE FROM things WHERE label = 'twice'");
  });
  afterAll(async () => {
    await db.drop();
    removeDir(dir);
  });

  it('migrate up refuses, saying how to fix it (its IF NOT EXISTS would skip the index for good); plan too', async () => {
    const up = await cli('migrate', 'up');
    expect(up.code).toBe(1);
    expect(expectOneLine(up.stderr)).toBe(
      'usualstore-db: refusing to migrate: index public.things_label_unique on things is invalid (left by a CREATE INDEX CONCURRENTLY that failed or was stopped; IF NOT EXISTS would skip it); drop it (DROP INDEX CONCURRENTLY public.things_label_unique), then migrate up again builds it anew',
    );
    expect((await cli('migrate', 'plan')).stderr).toBe(up.stderr);
  });

  it('status and drift name it', async () => {
    const status = JSON.parse((await cli('status', '--json')).stdout) as { warnings: string[] };
    expect(status.warnings).toEqual([expect.stringMatching(/^migrate up would refuse: index public\.things_label_unique on things is invalid/)]);
    const drift = await cli('migrate', 'drift');
    expect(drift.code).toBe(2);
    expect(drift.stdout).toContain('drift: index public.things_label_unique on things is invalid (a CREATE INDEX CONCURRENTLY failed or was stopped): drop it and build it again\n');
  });

  it('once dropped, migrate up builds it, valid; drift then judges the history with its CONCURRENTLY migration', async () => {
    await query(db.url, 'DROP INDEX CONCURRENTLY things_label_unique');
    const up = await cli('migrate', 'up');
    expect(up.code).toBe(0);
    expect(await valid()).toEqual([{ valid: true }]);
    const drift = await cli('migrate', 'drift');
    expect(drift.stderr).toBe('');
    expect(drift.code).toBe(0);
    expect(drift.stdout).toMatch(/^no drift: /);
  });
});
