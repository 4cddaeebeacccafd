/**
 * usualstore-db migrate plan against a real PostgreSQL 15: the SQL of every pending migration,
 * verified in one transaction that is rolled back, leaving catalog, data, bookkeeping and locks
 * exactly as they were. Exit 0 nothing pending, 2 pending, 1 error.
 */
import { Client } from 'pg';
import { runCli } from '../support/cli';
import { dataSnapshot, schemaSnapshot } from '../support/catalog';
import { createTestDatabase, withClient, type TestDatabase } from '../support/database';
import { NEWEST_MIGRATION, PROJECT_MIGRATIONS, SODA_HISTORY } from '../support/migration-prefix';
import { BASIC, expectOneLine, makeMigrationsDir, query, removeDir, writeMigration } from './migrator-fixtures';
import { migratedDatabase, sodaDatabase } from './operations-fixtures';
import { ELAPSED } from '../support/text';

const plan = (url: string, ...args: string[]) => runCli(['migrate', 'plan', ...args], { env: { DATABASE_URL: url } });

/** Everything plan must leave as it found it: schema, rows, bookkeeping, namespaces. */
async function everything(url: string) {
  return withClient(url, async (c) => {
    const bookkeeping = (
      await c.query(`SELECT to_regclass('public.pgmigrations')::text AS m, to_regclass('public.pgmigrations_checksums')::text AS c`)
    ).rows[0];
    return {
      schema: await schemaSnapshot(c),
      data: await dataSnapshot(c),
      bookkeeping,
      applied: bookkeeping.m ? (await c.query('SELECT id, name, run_on FROM pgmigrations ORDER BY id')).rows : [],
      checksums: bookkeeping.c ? (await c.query('SELECT * FROM pgmigrations_checksums ORDER BY name')).rows : [],
      namespaces: (await c.query(`SELECT nspname FROM pg_namespace ORDER BY 1`)).rows,
    };
  });
}

/** Locks and prepared transactions anything left behind in this database. */
async function leftovers(url: string) {
  return withClient(url, async (c) => ({
    locks: (
      await c.query(
        `SELECT locktype, mode FROM pg_locks WHERE pid <> pg_backend_pid() AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
      )
    ).rows,
    prepared: (await c.query(`SELECT gid FROM pg_prepared_xacts WHERE database = current_database()`)).rows,
  }));
}

const NAMES = PROJECT_MIGRATIONS;
/** A migration whose SQL the first test reads (the one that added users.role); the database is
 * brought to just before it, so it and whatever came after are pending. */
const ROLE = '20251226110000_add_role_to_users';
const PENDING = NAMES.slice(NAMES.indexOf(ROLE));
const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

describe('migrate plan on the project migrations', () => {
  let beforeRole: TestDatabase;
  beforeAll(async () => {
    beforeRole = await migratedDatabase('ops_plan_before_role', NAMES.indexOf(ROLE));
  });
  afterAll(async () => {
    await beforeRole.drop();
  });

  it('shows the SQL of the pending migrations, exits 2, and leaves the database exactly as it was', async () => {
    const before = await everything(beforeRole.url);
    const result = await plan(beforeRole.url);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(2);
    const out = result.stdout;
    expect(out.startsWith(`-- 1/${PENDING.length} ${ROLE}\n`)).toBe(true);
    expect(out).toContain(`ALTER TABLE users ADD COLUMN role varchar(50) NOT NULL DEFAULT 'user';`);
    expect(out).toContain('CREATE INDEX idx_users_role ON users (role);');
    expect(out).toMatch(
      new RegExp(
        `\\n${plural(PENDING.length, 'pending migration')} verified against postgres@\\S+ in ${ELAPSED}: every statement ran in one transaction, then rolled back; migrate up would apply (it|them)\\n$`,
      ),
    );

    expect(await everything(beforeRole.url)).toEqual(before);
    expect(await leftovers(beforeRole.url)).toEqual({ locks: [], prepared: [] });
    // And `migrate up` then does exactly what was shown.
    const up = await runCli(['migrate', 'up', '--lock-timeout', '1'], { env: { DATABASE_URL: beforeRole.url } });
    expect(up.stdout).toMatch(new RegExp(`^applied ${ROLE} \\(${ELAPSED}\\)\\n`));
    const again = await plan(beforeRole.url);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(
      new RegExp(`^postgres@\\S+ is up to date, at ${NEWEST_MIGRATION} \\(${NAMES.length} migrations applied\\); nothing pending\\n$`),
    );
    await runCli(['migrate', 'down', '--count', String(PENDING.length), '--yes'], { env: { DATABASE_URL: beforeRole.url } });
  });

  it('on a new database verifies all of them in order and creates nothing, not even the bookkeeping tables', async () => {
    const fresh = await createTestDatabase('ops_plan_fresh');
    try {
      const before = await everything(fresh.url);
      const result = await plan(fresh.url);
      expect(result.code).toBe(2);
      const headers = result.stdout.split('\n').filter((l) => /^-- \d+\//.test(l));
      expect(headers).toEqual(NAMES.map((name, i) => `-- ${i + 1}/${NAMES.length} ${name}`));
      expect(await everything(fresh.url)).toEqual(before);
      expect(before.bookkeeping).toEqual({ m: null, c: null });
      expect(await leftovers(fresh.url)).toEqual({ locks: [], prepared: [] });
    } finally {
      await fresh.drop();
    }
  });

  it('refuses a soda database that was not adopted', async () => {
    const soda = await sodaDatabase('ops_plan_soda', SODA_HISTORY);
    try {
      const result = await plan(soda.url);
      expect(result.code).toBe(1);
      // The same line as migrate up's (one policy, tool/migrator/history/policy.ts).
      expect(expectOneLine(result.stderr)).toMatch(
        /^usualstore-db: postgres@\S+ was migrated by soda \(schema_migration holds 24 versions\) and is not adopted yet; run `\.\/usualstore-db migrate adopt` first \(see README\); nothing was changed$/,
      );
    } finally {
      await soda.drop();
    }
  });
});

describe('migrate plan with fixture migrations', () => {
  let db: TestDatabase;
  let dir: string;
  const planDir = (...args: string[]) => plan(db.url, '--migrations-dir', dir, ...args);

  beforeEach(async () => {
    db = await createTestDatabase('ops_plan_fx');
    dir = makeMigrationsDir(BASIC);
    expect((await runCli(['migrate', 'up', '--migrations-dir', dir], { env: { DATABASE_URL: db.url } })).code).toBe(0);
  });
  afterEach(async () => {
    await db.drop();
    removeDir(dir);
  });

  it('names the pending migration that fails, quotes PostgreSQL, exits 1, and undoes the ones before it', async () => {
    writeMigration(dir, {
      name: '20240101000004_add_size',
      up: 'ALTER TABLE things ADD COLUMN size integer',
      down: 'ALTER TABLE things DROP COLUMN size',
    });
    writeMigration(dir, { name: '20240101000005_broken', up: 'ALTER TABLE things ADD COLUMN colour text', down: 'SELECT 1' });
    const before = await everything(db.url);
    const result = await planDir();
    expect(result.code).toBe(1);
    expect(expectOneLine(result.stderr)).toBe(
      'usualstore-db: pending migration 20240101000005_broken fails: column "colour" of relation "things" already exists; in 20240101000005_broken.ts: ALTER TABLE things ADD COLUMN colour text; SQLSTATE 42701; nothing was changed',
    );
    // The one before it was verified and shown, then rolled back with the rest.
    expect(result.stdout).toBe(
      '-- 1/2 20240101000004_add_size\nALTER TABLE things ADD COLUMN size integer;\n--   locks: ACCESS EXCLUSIVE on things (blocks reads and writes); no rewrite\n\n',
    );
    expect(await everything(db.url)).toEqual(before);
    expect(await leftovers(db.url)).toEqual({ locks: [], prepared: [] });
  });

  it('waits for a running migration only as long as --lock-timeout, then says so in one line', async () => {
    writeMigration(dir, {
      name: '20240101000004_add_size',
      up: 'ALTER TABLE things ADD COLUMN size integer',
      down: 'ALTER TABLE things DROP COLUMN size',
    });
    const holder = new Client({ connectionString: db.url });
    await holder.connect();
    try {
      // What `migrate up` holds while it runs (node-pg-migrate's lock id, session level).
      await holder.query('SELECT pg_advisory_lock(7241865325823964)');
      const result = await planDir('--lock-timeout', '0.3');
      expect(result.code).toBe(1);
      expect(expectOneLine(result.stderr)).toMatch(
        /^usualstore-db: the migration lock on postgres@\S+ was held for more than 0\.3 s \(lock timeout\) by a session that is not a migration run, pid \d+ \(.*\); let it finish and retry, or raise --lock-timeout$/,
      );
    } finally {
      await holder.end();
    }
    expect((await planDir()).code).toBe(2);
  });

  it('gives up on a table the application keeps locked instead of queueing behind it', async () => {
    writeMigration(dir, {
      name: '20240101000004_add_size',
      up: 'ALTER TABLE things ADD COLUMN size integer',
      down: 'ALTER TABLE things DROP COLUMN size',
    });
    const app = new Client({ connectionString: db.url });
    await app.connect();
    try {
      await app.query('BEGIN');
      await app.query('LOCK TABLE things IN ACCESS SHARE MODE');
      const result = await planDir('--lock-timeout', '0.3');
      expect(result.code).toBe(1);
      expect(expectOneLine(result.stderr)).toBe(
        'usualstore-db: cannot verify 20240101000004_add_size: a table it changes stayed in use for more than 0.3 s (lock timeout); retry, or raise --lock-timeout',
      );
    } finally {
      await app.end();
    }
  });

  it('says which sequences moved: PostgreSQL never rolls back nextval', async () => {
    writeMigration(dir, {
      name: '20240101000004_more_things',
      up: "INSERT INTO things (label) VALUES ('second')",
      down: "DELETE FROM things WHERE label = 'second'",
    });
    const result = await planDir();
    expect(result.code).toBe(2);
    expect(expectOneLine(result.stderr)).toBe(
      'usualstore-db: note: sequences moved while verifying (PostgreSQL never rolls back nextval; numbers are skipped, never reused): public.things_id_seq 1 -> 2',
    );
    expect(await query(db.url, 'SELECT label FROM things ORDER BY id')).toEqual([{ label: 'first' }]);
  });

  it('refuses as migrate up does when an applied migration was edited', async () => {
    writeMigration(dir, { ...BASIC[1], up: `${BASIC[1].up} -- edited` });
    const result = await planDir();
    expect(result.code).toBe(1);
    expect(expectOneLine(result.stderr)).toMatch(
      /^usualstore-db: refusing to migrate: applied migration 20240101000002_add_colour changed since applied/,
    );
  });
});
