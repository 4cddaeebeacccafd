/**
 * One refusal policy: whatever `migrate up` refuses, `migrate plan` refuses with the same line and
 * exit status (a plan that passes means an up that runs), and `migrate down` refuses what it must
 * too, against a real PostgreSQL 15. Each case is a database and a directory in the state a user
 * meets: a directory holding none of the applied migrations, an edited applied migration, a
 * pending one older than the newest applied, a soda database not adopted.
 */
import fs from 'node:fs';
import path from 'node:path';
import { runCli } from '../support/cli';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { BASIC, expectOneLine, makeMigrationsDir, query, removeDir, writeMigration } from './migrator-fixtures';

interface Case {
  name: string;
  /** Brings the database and the directory into the state; returns the directory to use. */
  arrange(url: string, dir: string): Promise<string>;
  /** The line both print. */
  refusal: RegExp;
  /** Whether migrate down --all refuses it too. */
  downRefuses: boolean;
}

const up = (url: string, dir: string) => runCli(['migrate', 'up', '--migrations-dir', dir], { env: { DATABASE_URL: url } });

const CASES: Case[] = [
  {
    name: 'a --migrations-dir holding none of the applied migrations',
    arrange: async () => makeMigrationsDir([{ name: '20990101000000_other_project', up: 'SELECT 1' }]),
    refusal:
      /has 3 applied migrations \(newest 20240101000003_seed_things\), but \S+ has none of them \(1 other files\); is --migrations-dir right\? nothing was changed$/,
    downRefuses: true,
  },
  {
    name: 'an applied migration edited since',
    arrange: async (_url, dir) => {
      fs.appendFileSync(path.join(dir, '20240101000002_add_colour.ts'), '// edited\n');
      writeMigration(dir, { name: '20240101000004_more', up: 'SELECT 1', down: 'SELECT 1' });
      return dir;
    },
    refusal: /applied migration 20240101000002_add_colour changed since applied \(checksum differs\)/,
    downRefuses: true,
  },
  {
    name: 'a pending migration older than the newest applied',
    arrange: async (_url, dir) => {
      writeMigration(dir, { name: '20240101000000_older', up: 'SELECT 1', down: 'SELECT 1' });
      return dir;
    },
    refusal: /pending 20240101000000_older is older than the applied 20240101000003_seed_things/,
    downRefuses: false,
  },
  {
    name: 'a soda database not adopted',
    arrange: async (url, dir) => {
      await query(url, 'DROP TABLE pgmigrations, pgmigrations_checksums');
      await query(url, 'CREATE TABLE schema_migration (version character varying(14) NOT NULL)');
      await query(url, "INSERT INTO schema_migration VALUES ('20240101000001')");
      return dir;
    },
    refusal:
      /was migrated by soda \(schema_migration holds 1 version\) and is not adopted yet; run `\.\/usualstore-db migrate adopt` first/,
    downRefuses: true,
  },
];

describe.each(CASES)('$name', ({ arrange, refusal, downRefuses }) => {
  let db: TestDatabase;
  let dir: string;
  let used: string;
  beforeAll(async () => {
    db = await createTestDatabase('policy');
    dir = makeMigrationsDir(BASIC);
    expect((await up(db.url, dir)).code).toBe(0);
    used = await arrange(db.url, dir);
  });
  afterAll(async () => {
    await db.drop();
    removeDir(dir);
    if (used !== dir) removeDir(used);
  });

  it('migrate up and migrate plan refuse it with the same line, exit 1', async () => {
    const applied = await up(db.url, used);
    const planned = await runCli(['migrate', 'plan', '--migrations-dir', used], { env: { DATABASE_URL: db.url } });
    const printed = await runCli(['migrate', 'plan', '--print-only', '--migrations-dir', used], { env: { DATABASE_URL: db.url } });
    for (const result of [applied, planned, printed]) {
      expect(result.code).toBe(1);
      expect(expectOneLine(result.stderr)).toMatch(refusal);
    }
    expect(planned.stderr).toBe(applied.stderr);
    expect(printed.stderr).toBe(applied.stderr);
  });

  it(`migrate down --all ${downRefuses ? 'refuses it too' : 'is not held up by it'}`, async () => {
    // --yes without a terminal: the refusal (or not) is decided before anything is reverted.
    const before = await query<{ n: number }>(
      db.url,
      "SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public'",
    );
    const down = await runCli(['migrate', 'down', '--all', '--migrations-dir', used, '--lock-timeout', '1'], {
      env: { DATABASE_URL: db.url },
      input: '',
    });
    if (downRefuses) {
      expect(down.code).toBe(1);
      expect(expectOneLine(down.stderr)).toMatch(refusal);
      expect(
        await query<{ n: number }>(db.url, "SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public'"),
      ).toEqual(before);
    } else {
      // Without --yes and no terminal it stops at the question, never at the policy.
      expect(down.stderr).not.toMatch(refusal);
    }
  });
});
