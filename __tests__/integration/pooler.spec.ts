/**
 * A migration run through a real PgBouncer: in transaction mode (each transaction to whichever
 * server session is free), the run's migration lock (a session advisory lock) and its session
 * bounds would not hold, so `migrate up` and `down` refuse before anything runs, in one line
 * saying to connect directly; in session mode, and for `migrate plan` (one transaction, its lock
 * transaction-level), it works.
 */
import { cliFor } from '../support/cli';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { pgbouncerUnavailable, startPgBouncer, type PgBouncer } from '../support/pgbouncer';
import { skipUnless } from '../support/skip';
import { BASIC, expectOneLine, makeMigrationsDir, query, removeDir } from './migrator-fixtures';

const unavailable = pgbouncerUnavailable();
const describeWithPgBouncer = skipUnless(unavailable && `no real PgBouncer: ${unavailable}`, 'pgbouncer', 'the connection pooler tests');

describeWithPgBouncer('a migration run behind a connection pooler (PgBouncer 1.18)', () => {
  let db: TestDatabase;
  let dir: string;
  let transactionMode: PgBouncer;
  let sessionMode: PgBouncer;
  const through = (pooler: PgBouncer) => {
    const url = new URL(pooler.url);
    url.pathname = `/${db.name}`;
    return url.toString();
  };
  const cli = (url: string, args: string[], env: NodeJS.ProcessEnv = {}) => cliFor(() => ({ url, migrationsDir: dir, env }))(...args);
  const applied = async () => {
    const [{ exists }] = await query<{ exists: boolean }>(db.url, "SELECT to_regclass('pgmigrations') IS NOT NULL AS exists");
    return exists ? (await query<{ n: number }>(db.url, 'SELECT count(*)::int AS n FROM pgmigrations'))[0].n : 0;
  };

  beforeAll(async () => {
    db = await createTestDatabase('pooler');
    dir = makeMigrationsDir(BASIC);
    transactionMode = await startPgBouncer(db.url, 'transaction');
    sessionMode = await startPgBouncer(db.url, 'session');
  });
  afterAll(async () => {
    await transactionMode?.stop();
    await sessionMode?.stop();
    await db?.drop();
    if (dir) removeDir(dir);
  });

  it('migrate up through transaction mode refuses before anything runs, saying to connect directly', async () => {
    const result = await cli(through(transactionMode), ['migrate', 'up']);
    expect(result.code).toBe(1);
    expect(expectOneLine(result.stderr)).toMatch(
      /^usualstore-db: postgres@127\.0\.0\.1:\d+\/pooler_\w+ is reached through a connection pooler in transaction mode \(the server session changed between transactions: pids \d+, \d+.*\): a migration run holds the migration lock and its bounds in one server session, which a pooler does not keep; connect to the database directly \(the instance's own endpoint, not the pooler's or the proxy's\), or set the pooler to session mode for this user$/,
    );
    expect(await applied()).toBe(0);
  });

  it('migrate plan through it works: one transaction, its lock transaction-level', async () => {
    const result = await cli(through(transactionMode), ['migrate', 'plan']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(2);
    expect(await applied()).toBe(0);
  });

  it('through session mode migrate up applies, and down reverts', async () => {
    const up = await cli(through(sessionMode), ['migrate', 'up']);
    expect({ code: up.code, stderr: up.stderr }).toEqual({ code: 0, stderr: '' });
    expect(await applied()).toBe(3);
    const down = await cli(through(sessionMode), ['migrate', 'down', '--count', '1', '--yes']);
    expect(down.code).toBe(0);
    expect(await applied()).toBe(2);
  });

  it('a pooler known to be there (USUALSTORE_POOLED=1) is refused even where no probe sees it', async () => {
    const result = await cli(db.url, ['migrate', 'up'], { USUALSTORE_POOLED: '1' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/is reached through a connection pooler in transaction mode \(USUALSTORE_POOLED=1\)/);
  });
});
