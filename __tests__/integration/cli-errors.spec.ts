/**
 * Bad input: each case gets one actionable line on stderr, a non-zero exit, no stack trace and
 * never the password, and ends within seconds (runCli kills a hung command after 15 s, which
 * would fail the message assertion).
 */
import net from 'node:net';
import { runCli } from '../support/cli';
import { createTestDatabase, TestDatabase } from '../support/database';
import { expectOneLine, makeMigrationsDir, removeDir } from './migrator-fixtures';
import { closedPort } from '../support/ports';

const SECRET = 'S3cret-Pw';

/** A URL for the test server with another password, port or host. */
function variant(db: TestDatabase, change: { password?: string; port?: number; host?: string; database?: string }): string {
  const url = new URL(db.url);
  if (change.password !== undefined) url.password = change.password;
  if (change.port !== undefined) url.port = String(change.port);
  if (change.host !== undefined) url.hostname = change.host;
  if (change.database !== undefined) url.pathname = `/${change.database}`;
  return url.toString();
}

function listen(onConnection: (socket: net.Socket) => void): Promise<net.Server & { port: number }> {
  return new Promise((resolve) => {
    const server = net.createServer(onConnection);
    server.listen(0, '127.0.0.1', () => resolve(Object.assign(server, { port: (server.address() as net.AddressInfo).port })));
  });
}

describe('bad input', () => {
  let db: TestDatabase;
  let dir: string;
  let silent: net.Server & { port: number };
  const sockets: net.Socket[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('cli_errors');
    dir = makeMigrationsDir([]);
    // Accepts connections and never answers: only the connect timeout ends the attempt.
    silent = await listen((socket) => sockets.push(socket));
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => silent.close(resolve));
    await db.drop();
    removeDir(dir);
  });

  async function fails(args: string[], env: NodeJS.ProcessEnv, expected: RegExp): Promise<void> {
    const result = await runCli(args, { env: { DATABASE_URL: undefined, PGPASSWORD: undefined, ...env }, timeoutMs: 15000 });
    const line = expectOneLine(result.stderr);
    expect(line).toMatch(/^usualstore-db: /);
    expect(line).toMatch(expected);
    expect(result.stderr).not.toContain(SECRET);
    expect(result.stdout).not.toContain(SECRET);
    expect(result.code).not.toBe(0);
    expect(result.code).toBeLessThan(128); // not killed by the timeout
  }
  const up = ['migrate', 'up', '--migrations-dir'];

  it('a malformed URL', () =>
    fails(
      [...up, dir],
      { DATABASE_URL: `postgres://user:${SECRET}@:5432:x/db` },
      /DATABASE_URL is not a valid URL; expected postgres:\/\//,
    ));
  it('a URL that is not postgres://', () =>
    fails([...up, dir, '--database-url', `mysql://u:${SECRET}@h/db`], {}, /--database-url must start with postgres:\/\//));
  it('a password with bad percent-encoding', () =>
    fails(
      [...up, dir],
      { DATABASE_URL: `postgres://u:${SECRET}%zz@127.0.0.1/db` },
      /password in DATABASE_URL is not valid percent-encoding/,
    ));
  it('a URL without a database', () =>
    fails([...up, dir], { DATABASE_URL: `postgres://u:${SECRET}@127.0.0.1:5432` }, /must name exactly one database/));
  it('a wrong password', () =>
    fails(
      [...up, dir],
      { DATABASE_URL: variant(db, { password: SECRET }) },
      /^usualstore-db: password authentication failed for user "postgres" at 127\.0\.0\.1:\d+; check the password/,
    ));
  it('a wrong password in PGPASSWORD', () =>
    fails(
      [...up, dir],
      { DATABASE_URL: variant(db, { password: '' }), PGPASSWORD: SECRET },
      /password authentication failed for user "postgres"/,
    ));
  it('an unknown database', () =>
    fails(
      [...up, dir],
      { DATABASE_URL: variant(db, { database: 'no_such_db' }) },
      /database "no_such_db" does not exist on 127\.0\.0\.1:\d+; create it or fix/,
    ));
  it('nothing listening', async () => {
    const port = await closedPort();
    await fails(
      [...up, dir],
      { DATABASE_URL: variant(db, { port, password: SECRET }) },
      new RegExp(`nothing is listening on 127\\.0\\.0\\.1:${port} \\(connection refused\\); is PostgreSQL running\\?`),
    );
  });
  it('an unknown host', () =>
    // Where DNS itself is unreachable, the bounded connect timeout answers instead.
    fails(
      [...up, dir],
      { DATABASE_URL: variant(db, { host: 'no-such-host.invalid' }), PGCONNECT_TIMEOUT: '3' },
      /unknown host "no-such-host\.invalid"|no answer from no-such-host\.invalid/,
    ));
  it('a server that never answers (connect timeout)', () =>
    fails(
      [...up, dir],
      { DATABASE_URL: variant(db, { port: silent.port }), PGCONNECT_TIMEOUT: '1' },
      new RegExp(`no answer from 127\\.0\\.0\\.1:${silent.port} within 1 s \\(connect timeout\\)`),
    ));
  it('the same errors for migrate status and down', async () => {
    await fails(
      ['migrate', 'status', '--migrations-dir', dir],
      { DATABASE_URL: variant(db, { database: 'no_such_db' }) },
      /database "no_such_db" does not exist/,
    );
    await fails(
      ['migrate', 'down', '--all', '--yes', '--migrations-dir', dir],
      { DATABASE_URL: variant(db, { password: SECRET }) },
      /password authentication failed/,
    );
  });

  describe('options', () => {
    const env = () => ({ DATABASE_URL: db.url });
    it('unknown subcommand', () =>
      fails(['migrate', 'sideways'], env(), /unknown migrate subcommand "sideways"; expected one of: up, down, status, create/));
    it('missing subcommand', () => fails(['migrate'], env(), /migrate needs a subcommand/));
    it('unknown option', () => fails(['migrate', 'up', '--colour'], env(), /unknown option --colour for "migrate up"/));
    it('option without its value', () => fails(['migrate', 'up', '--wait'], env(), /option --wait of "migrate up" needs a value/));
    it('--wait that is not a number', () => fails(['migrate', 'up', '--wait', 'soon'], {}, /--wait takes a number of seconds/));
    it('--lock-timeout that is negative', async () => {
      await fails(
        ['migrate', 'up', '--lock-timeout', '-1'],
        env(),
        /option --lock-timeout of "migrate up" has a value starting with "-"; write it as --lock-timeout=VALUE/,
      );
      await fails(
        ['migrate', 'up', '--lock-timeout=-1'],
        env(),
        /--lock-timeout takes a number of seconds between 0 and 86400 \(got "-1"\)/,
      );
    });
    it('a flag given a value', () => fails(['migrate', 'status', '--json=yes'], env(), /option --json of "migrate status" takes no value/));
    it('down without --count or --all', () => fails(['migrate', 'down'], env(), /migrate down needs --count N .* or --all/));
    it('down with both', () =>
      fails(
        ['migrate', 'down', '--count', '1', '--all'],
        env(),
        /^usualstore-db: migrate down takes one of --count N, --to VERSION or --all$/,
      ));
    it('down --count 0', () => fails(['migrate', 'down', '--count', '0'], env(), /--count takes a positive whole number \(got "0"\)/));
    it('create without a name', () =>
      fails(
        ['migrate', 'create', '--migrations-dir', dir],
        {},
        /migrate create needs NAME; usage: usualstore-db migrate create NAME \[options\]/,
      ));
    it('create with a bad name', () =>
      fails(['migrate', 'create', 'Add Table!', '--migrations-dir', dir], {}, /invalid migration name "Add Table!"/));
    it('a missing migrations directory', () =>
      fails(['migrate', 'up', '--migrations-dir', `${dir}/nope`], env(), /migrations directory .*nope does not exist/));
    it('a stray argument', () => fails(['migrate', 'up', 'now'], env(), /unexpected argument "now" for "migrate up"/));
  });
});
