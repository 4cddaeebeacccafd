/**
 * One database resolver: every command that connects reaches the same database, with the same
 * password, whichever way the user gives them (the flag, DATABASE_URL, or the deployed database;
 * the password in the URL, PGPASSWORD, USUALSTORE_PASSWORD_COMMAND, terraform.tfvars or
 * TF_VAR_postgres_password). A real PostgreSQL 15 plays the deployed database (on the port
 * USUALSTORE_DB_HOST_PORT names), Docker is made unreachable (DOCKER_HOST names no socket), and the
 * command runs from a checkout of its own, so that a terraform.tfvars written there is the
 * project's. `review` connects through the same resolver but needs a git history: see review.spec.
 */
import fs from 'node:fs';
import path from 'node:path';
import { makeCheckout, removeCheckout } from '../support/checkout';
import { runProcess, type RunResult } from '../support/process';
import { startTestServer, type TestServer } from '../support/test-server';
import { tempDir } from '../support/temp';
import { BASIC, makeMigrationsDir, query, removeDir } from './migrator-fixtures';

interface Way {
  name: string;
  /** The command line's leading arguments and the environment, for the server at `url` (no password) with `password`. */
  give(server: { url: string; port: number; password: string }, checkout: string, work: string): { args: string[]; env: NodeJS.ProcessEnv };
}

const withPassword = (url: string, password: string) => {
  const u = new URL(url);
  u.password = encodeURIComponent(password);
  return u.toString();
};

const WAYS: Way[] = [
  { name: '--database-url with the password in it', give: (s) => ({ args: ['--database-url', withPassword(s.url, s.password)], env: {} }) },
  { name: 'DATABASE_URL with the password in it', give: (s) => ({ args: [], env: { DATABASE_URL: withPassword(s.url, s.password) } }) },
  { name: 'DATABASE_URL and PGPASSWORD', give: (s) => ({ args: [], env: { DATABASE_URL: s.url, PGPASSWORD: s.password } }) },
  {
    name: 'DATABASE_URL and USUALSTORE_PASSWORD_COMMAND',
    give: (s, _c, work) => ({ args: [], env: { DATABASE_URL: s.url, USUALSTORE_PASSWORD_COMMAND: `cat ${path.join(work, 'password')}` } }),
  },
  {
    name: 'the deployed database and PGPASSWORD',
    give: (s) => ({ args: [], env: { USUALSTORE_DB_HOST_PORT: String(s.port), PGPASSWORD: s.password } }),
  },
  {
    name: 'the deployed database and USUALSTORE_PASSWORD_COMMAND',
    give: (s, _c, work) => ({
      args: [],
      env: { USUALSTORE_DB_HOST_PORT: String(s.port), USUALSTORE_PASSWORD_COMMAND: `cat ${path.join(work, 'password')}` },
    }),
  },
  {
    name: 'the deployed database and terraform.tfvars',
    give: (s, checkout) => {
      fs.writeFileSync(path.join(checkout, 'terraform.tfvars'), `postgres_password = ${JSON.stringify(s.password)}\n`, { mode: 0o600 });
      return { args: [], env: { USUALSTORE_DB_HOST_PORT: String(s.port) } };
    },
  },
  {
    name: 'the deployed database and TF_VAR_postgres_password',
    give: (s) => ({ args: [], env: { USUALSTORE_DB_HOST_PORT: String(s.port), TF_VAR_postgres_password: s.password } }),
  },
];

interface Command {
  name: string;
  args(work: string, fresh: string): string[];
  /** Did it reach the database and do its work? */
  ok(result: RunResult): boolean;
}

const COMMANDS: Command[] = [
  { name: 'migrate up', args: () => ['migrate', 'up'], ok: (r) => r.code === 0 && /is up to date/.test(r.stdout) },
  { name: 'migrate status', args: () => ['migrate', 'status'], ok: (r) => r.code === 0 && /3 applied, 0 pending/.test(r.stdout) },
  { name: 'migrate plan', args: () => ['migrate', 'plan'], ok: (r) => r.code === 0 && /nothing pending/.test(r.stdout) },
  {
    name: 'migrate plan --print-only',
    args: () => ['migrate', 'plan', '--print-only'],
    ok: (r) => r.code === 0 && /nothing pending/.test(r.stdout),
  },
  { name: 'migrate drift', args: () => ['migrate', 'drift'], ok: (r) => r.code === 0 && /^no drift/m.test(r.stdout) },
  // Without a terminal and without --yes it stops at the question, after reading the database.
  {
    name: 'migrate down',
    args: () => ['migrate', 'down', '--count', '1'],
    ok: (r) => r.code === 1 && /not confirmed: revert 1 migration of /.test(r.stderr),
  },
  {
    name: 'migrate adopt',
    args: () => ['migrate', 'adopt'],
    ok: (r) => r.code === 0 && /managed by usualstore-db already; nothing to adopt/.test(r.stdout),
  },
  {
    name: 'migrate accept',
    args: () => ['migrate', 'accept', '20240101000001_create_things', '--reason', 'matrix'],
    ok: (r) => r.code === 1 && /migrate accept takes only edited applied migrations/.test(r.stderr),
  },
  {
    name: 'migrate forget',
    args: () => ['migrate', 'forget', '20240101000001_create_things', '--reason', 'matrix'],
    ok: (r) => r.code === 1 && /migrate forget takes only applied migrations whose file is gone/.test(r.stderr),
  },
  { name: 'status', args: () => ['status'], ok: (r) => r.code === 0 && /^reachable +yes$/m.test(r.stdout) },
  {
    name: 'backup',
    args: (work) => ['backup', path.join(work, `backup-${Math.random().toString(36).slice(2)}.dump`)],
    ok: (r) => r.code === 0 && /^backed up /.test(r.stdout),
  },
  {
    name: 'restore',
    args: (work) => ['restore', path.join(work, 'reference.dump')],
    ok: (r) => r.code === 1 && /already has 3 tables; restore writes only into an empty database/.test(r.stderr),
  },
  { name: 'copy', args: (_work, fresh) => ['copy', '--to', fresh], ok: (r) => r.code === 0 && /^copied /.test(r.stdout) },
  { name: 'shell', args: () => ['shell', '-c', 'select 41 + 1'], ok: (r) => r.code === 0 && /\b42\b/.test(r.stdout) },
];

describe('every command that connects × every way of giving the database and its password', () => {
  let server: TestServer;
  let password: string;
  let plainUrl: string;
  let work: string;
  let migrations: string;
  let checkout: string;
  const fresh: string[] = [];

  beforeAll(async () => {
    server = await startTestServer();
    await query(server.url, 'CREATE DATABASE usualstore');
    password = decodeURIComponent(new URL(server.url).password);
    const u = new URL(server.url);
    u.password = '';
    u.pathname = '/usualstore';
    plainUrl = u.toString();
    work = tempDir('matrix');
    fs.writeFileSync(path.join(work, 'password'), `${password}\n`, { mode: 0o600 });
    migrations = makeMigrationsDir(BASIC);
    checkout = makeCheckout('matrix');
    const env = { DATABASE_URL: withPassword(plainUrl, password) };
    const cli = (args: string[]) =>
      runProcess(process.execPath, [path.join(checkout, 'bin', 'usualstore-db.js'), ...args, '--migrations-dir', migrations], {
        cwd: checkout,
        env: { ...process.env, ...env },
      });
    expect((await cli(['migrate', 'up'])).code).toBe(0);
    expect(
      (
        await runProcess(process.execPath, [path.join(checkout, 'bin', 'usualstore-db.js'), 'backup', path.join(work, 'reference.dump')], {
          cwd: checkout,
          env: { ...process.env, ...env },
        })
      ).code,
    ).toBe(0);
  }, 60000);
  afterAll(async () => {
    await server?.stop();
    if (work) removeDir(work);
    if (migrations) removeDir(migrations);
    if (checkout) removeCheckout(checkout);
  });

  it.each(WAYS)(
    '$name',
    async (way) => {
      fs.rmSync(path.join(checkout, 'terraform.tfvars'), { force: true });
      const given = way.give({ url: plainUrl, port: server.port, password }, checkout, work);
      const target = `copy_${fresh.length}`;
      fresh.push(target);
      await query(server.url, `CREATE DATABASE ${target}`);
      const toUrl = new URL(server.url);
      toUrl.pathname = `/${target}`;
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        // Nothing of the test's own environment decides the target or the password.
        DATABASE_URL: undefined,
        PGPASSWORD: undefined,
        USUALSTORE_PASSWORD_COMMAND: undefined,
        TF_VAR_postgres_password: undefined,
        USUALSTORE_DB_HOST_PORT: undefined,
        DOCKER_HOST: `unix://${path.join(work, 'no-docker.sock')}`,
        ...given.env,
      };
      for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key];
      const results = await Promise.all(
        COMMANDS.map(async (command) => {
          const migrationsDir = command.name.startsWith('migrate') || command.name === 'status' ? ['--migrations-dir', migrations] : [];
          const args = [...given.args, ...command.args(work, toUrl.toString()), ...migrationsDir];
          const result = await runProcess(process.execPath, [path.join(checkout, 'bin', 'usualstore-db.js'), ...args], {
            cwd: checkout,
            env,
            timeoutMs: 60000,
          });
          const leaked = `${result.stdout}${result.stderr}`.includes(password);
          return {
            command: command.name,
            ok: command.ok(result) && !leaked,
            said: `exit ${result.code}${leaked ? ' (printed the password)' : ''}: ${(result.stderr.trim() || result.stdout.trim()).split('\n').pop()}`,
          };
        }),
      );
      expect(results.filter((r) => !r.ok).map((r) => `${r.command}: ${r.said}`)).toEqual([]);
    },
    120000,
  );

  it("names where a refused password came from: terraform.tfvars' one is the server's creation-time password, not PGPASSWORD's", async () => {
    fs.writeFileSync(path.join(checkout, 'terraform.tfvars'), 'postgres_password = "not-the-servers"\n', { mode: 0o600 });
    const env = {
      ...process.env,
      DATABASE_URL: '',
      PGPASSWORD: '',
      TF_VAR_postgres_password: '',
      USUALSTORE_PASSWORD_COMMAND: '',
      USUALSTORE_DB_HOST_PORT: String(server.port),
    };
    const result = await runProcess(
      process.execPath,
      [path.join(checkout, 'bin', 'usualstore-db.js'), 'migrate', 'status', '--migrations-dir', migrations],
      { cwd: checkout, env },
    );
    fs.rmSync(path.join(checkout, 'terraform.tfvars'));
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n').pop()).toBe(
      `usualstore-db: password authentication failed for user "postgres" at 127.0.0.1:${server.port} with the password from terraform.tfvars: the server still has the password it was created with (the postgres image applies postgres_password only to a new, empty volume); deploy again: a new password replaces the container, which then sets it on the server`,
    );
  });

  it('names a CA file that is not there, before connecting', async () => {
    const url = `${withPassword(plainUrl, password)}?sslmode=verify-full&sslrootcert=rds-ca-bundle.pem`;
    const result = await runProcess(process.execPath, [path.join(checkout, 'bin', 'usualstore-db.js'), 'migrate', 'status'], {
      cwd: checkout,
      env: { ...process.env, DATABASE_URL: url },
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `usualstore-db: the CA file rds-ca-bundle.pem (sslrootcert in DATABASE_URL) does not exist (relative to ${checkout}); for Amazon RDS download the region's bundle (see the production docs)\n`,
    );
  });

  it('./usualstore-db, the command of this checkout, is the same command', async () => {
    const result = await runProcess(path.join(checkout, 'usualstore-db'), ['migrate', 'status', '--migrations-dir', migrations], {
      cwd: checkout,
      env: { ...process.env, DATABASE_URL: withPassword(plainUrl, password) },
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/3 applied, 0 pending/);
  });
});
