/**
 * Reaching the server: --wait for a server that starts later, its bounded timeout, and
 * passwords with URL-special characters (percent-encoded in the URL, or in PGPASSWORD).
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { runCli } from '../support/cli';
import { createTestDatabase, serverUrl, TestDatabase, urlFor, withClient } from '../support/database';
import { startTestServer, TestServer } from '../support/test-server';
import { tempDir } from '../support/temp';
import { appliedNames, BASIC, expectOneLine, makeMigrationsDir, removeDir } from './migrator-fixtures';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

describe('connecting', () => {
  let dir: string;
  beforeAll(() => {
    dir = makeMigrationsDir(BASIC);
  });
  afterAll(() => removeDir(dir));

  describe('--wait', () => {
    let server: TestServer | undefined;
    afterEach(async () => {
      await server?.stop();
      server = undefined;
    });

    it('waits for a server that starts after the command, then migrates', async () => {
      const port = await freePort();
      const url = `postgres://postgres:test-password@127.0.0.1:${port}/postgres`;
      const migrating = runCli(['migrate', 'up', '--wait', '90', '--migrations-dir', dir], {
        env: { DATABASE_URL: url },
        timeoutMs: 100000,
      });
      // The server comes up on that very port only now (initdb first, so several seconds later).
      server = await startTestServer(['-c', `port=${port}`]);
      const result = await migrating;
      // How long initdb takes decides whether the wait was long enough to be said: if anything
      // is on stderr, it is only that.
      for (const line of result.stderr.split('\n').filter(Boolean))
        expect(line).toMatch(/^usualstore-db: waiting for postgres@127\.0\.0\.1:\d+\/postgres to accept connections \(/);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/migrated postgres@127\.0\.0\.1:\d+\/postgres: 3 migrations applied/);
      expect(await appliedNames(url)).toEqual(BASIC.map((m) => m.name));
    });

    it('gives up after the timeout, naming host, port and the last error', async () => {
      const port = await freePort();
      const result = await runCli(['migrate', 'up', '--wait', '1', '--migrations-dir', dir], {
        env: { DATABASE_URL: `postgres://postgres:pw@127.0.0.1:${port}/postgres` },
        timeoutMs: 15000,
      });
      expect(result.code).toBe(1);
      expect(expectOneLine(result.stderr)).toBe(
        `usualstore-db: PostgreSQL at 127.0.0.1:${port} was not ready within 1 s; last error: nothing is listening on 127.0.0.1:${port} (connection refused)`,
      );
    });

    it('keeps retrying a server that drops connections (as one starting up does), then reports that', async () => {
      const dropper = net.createServer((socket) => socket.destroy());
      await new Promise<void>((resolve) => dropper.listen(0, '127.0.0.1', resolve));
      const { port } = dropper.address() as net.AddressInfo;
      try {
        const result = await runCli(['migrate', 'up', '--wait', '1', '--migrations-dir', dir], {
          env: { DATABASE_URL: `postgres://postgres:pw@127.0.0.1:${port}/postgres` },
          timeoutMs: 15000,
        });
        expect(result.code).toBe(1);
        expect(expectOneLine(result.stderr)).toMatch(
          new RegExp(`^usualstore-db: PostgreSQL at 127\\.0\\.0\\.1:${port} was not ready within 1 s; last error: `),
        );
      } finally {
        await new Promise((resolve) => dropper.close(resolve));
      }
    });

    it('does not wait out an error that waiting cannot fix (wrong password)', async () => {
      const url = new URL(serverUrl());
      url.password = 'not-the-password';
      // Killed after 30 s, half the allowed wait: only an immediate failure reports the password.
      const result = await runCli(['migrate', 'up', '--wait', '60', '--migrations-dir', dir], {
        env: { DATABASE_URL: url.toString() },
        timeoutMs: 30000,
      });
      expect(result.code).toBe(1);
      expect(expectOneLine(result.stderr)).toMatch(/^usualstore-db: password authentication failed/);
    });
  });

  describe('passwords with URL-special characters', () => {
    const role = 'usualstore_special';
    const password = `p@ss:w/rd?#%&+ é"'\\`;
    let db: TestDatabase;

    beforeAll(async () => {
      db = await createTestDatabase('migrator_pw');
      await withClient(serverUrl(), async (c) => {
        await c.query(`DROP ROLE IF EXISTS ${role}`);
        await c.query(`CREATE ROLE ${role} LOGIN PASSWORD ${c.escapeLiteral(password)}`);
        // Owning the database gives the role CREATE on its public schema (PostgreSQL 15).
        await c.query(`ALTER DATABASE "${db.name}" OWNER TO ${role}`);
      });
    });
    afterAll(async () => {
      await db.drop();
      await withClient(serverUrl(), (c) => c.query(`DROP ROLE IF EXISTS ${role}`));
    });

    it('works percent-encoded in the URL', async () => {
      const url = urlFor(db.name, { user: role, password });
      expect(url).toContain('%40'); // really encoded
      const result = await runCli(['migrate', 'up', '--migrations-dir', dir], { env: { DATABASE_URL: url } });
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(new RegExp(`migrated ${role}@127\\.0\\.0\\.1:\\d+/${db.name}: 3 migrations applied`));
    });

    it('works from PGPASSWORD with a URL that has no password (as the deploy hook passes it)', async () => {
      const url = new URL(db.url);
      url.username = role;
      url.password = '';
      const result = await runCli(['migrate', 'status', '--json', '--migrations-dir', dir], {
        env: { DATABASE_URL: url.toString(), PGPASSWORD: password },
      });
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout).database).toBe(`${role}@127.0.0.1:${url.port}/${db.name}`);
    });

    it("works from the password file (PGPASSFILE) without pg's deprecation warning, and names the file that has no line", async () => {
      const url = new URL(db.url);
      url.username = role;
      url.password = '';
      const passfile = path.join(tempDir('pgpass'), 'pgpass');
      try {
        const escaped = password.replace(/[\\:]/g, (c) => `\\${c}`);
        fs.writeFileSync(passfile, `# ours\n127.0.0.1:${url.port}:${db.name}:${role}:${escaped}\n`, { mode: 0o600 });
        const env = { DATABASE_URL: url.toString(), PGPASSFILE: passfile, PGPASSWORD: undefined };
        const status = await runCli(['migrate', 'status', '--json', '--migrations-dir', dir], { env });
        expect(status.stderr).toBe('');
        expect(status.code).toBe(0);
        fs.writeFileSync(passfile, `127.0.0.1:${url.port}:other_db:${role}:x\n`, { mode: 0o600 });
        const none = await runCli(['migrate', 'status', '--migrations-dir', dir], { env });
        expect(none.code).toBe(1);
        expect(expectOneLine(none.stderr)).toContain(
          `(no password was given: the password file ${passfile} has no line for 127.0.0.1:${url.port}:${db.name}:${role}); put it in the URL, PGPASSWORD, USUALSTORE_PASSWORD_COMMAND or the password file`,
        );
      } finally {
        fs.rmSync(path.dirname(passfile), { recursive: true, force: true });
      }
    });

    it('never prints the password when it is wrong', async () => {
      const result = await runCli(['migrate', 'up', '--migrations-dir', dir], {
        env: { DATABASE_URL: urlFor(db.name, { user: role, password: `${password}x` }) },
      });
      expect(result.code).toBe(1);
      expect(expectOneLine(result.stderr)).toMatch(/password authentication failed for user "usualstore_special"/);
      expect(result.stderr).not.toContain('p@ss');
    });
  });
});
