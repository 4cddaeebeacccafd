/**
 * The production path, against real PostgreSQL 15 servers: a server with a certificate from a
 * CA made here (as RDS has, with its CA bundle) is reached with sslmode=verify-full and the CA
 * file, by the migrator and by the client tools; a wrong CA is refused in one line; and `copy`
 * moves a database into an empty one there, checking every table's rows.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { runCli } from '../support/cli';
import { startTestServer, type TestServer } from '../support/test-server';
import { tempDir } from '../support/temp';
import { expectOneLine, query } from './migrator-fixtures';
import { APPLICATION_ROWS, migratedDatabase } from './operations-fixtures';
import { commandMissing } from '../support/process';
import { skipUnless } from '../support/skip';
import { NEWEST_MIGRATION } from '../support/migration-prefix';
import { ELAPSED } from '../support/text';

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: 'ignore' });
}

/** A CA, and a server certificate it signs for 127.0.0.1 and localhost; another CA that did not. */
function makeCertificates(dir: string): void {
  openssl(
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '2',
      '-subj',
      '/CN=usualstore test CA',
      '-keyout',
      'ca.key',
      '-out',
      'ca.pem',
    ],
    dir,
  );
  openssl(
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=another CA', '-keyout', 'other.key', '-out', 'other.pem'],
    dir,
  );
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost', '-keyout', 'server.key', '-out', 'server.csr'], dir);
  fs.writeFileSync(path.join(dir, 'san.ext'), 'subjectAltName = IP:127.0.0.1, DNS:localhost\n');
  openssl(
    [
      'x509',
      '-req',
      '-in',
      'server.csr',
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-days',
      '2',
      '-extfile',
      'san.ext',
      '-out',
      'server.pem',
    ],
    dir,
  );
}

const describeTls = skipUnless(commandMissing('openssl', ['version']), 'openssl', 'the TLS tests (to make a CA and a server certificate)');

describeTls('TLS with verify-full, as against RDS', () => {
  let certs: string;
  let server: TestServer;
  let base: URL;
  beforeAll(async () => {
    certs = tempDir('tls');
    fs.chmodSync(certs, 0o755);
    makeCertificates(certs);
    // PostgreSQL reads the key as the user it runs as, and wants it private to that user.
    const key = path.join(certs, 'server.key');
    fs.chmodSync(key, 0o600);
    if (process.getuid?.() === 0) {
      const postgres = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
      fs.chownSync(key, postgres, postgres);
    }
    server = await startTestServer(['-c', 'ssl=on', '-c', `ssl_cert_file=${path.join(certs, 'server.pem')}`, '-c', `ssl_key_file=${key}`]);
    await query(server.url, 'CREATE DATABASE production');
    base = new URL(server.url);
    base.pathname = '/production';
  }, 60000);
  afterAll(async () => {
    await server?.stop();
    fs.rmSync(certs, { recursive: true, force: true });
  });

  const url = (params: Record<string, string>) => {
    const u = new URL(base.toString());
    for (const [key, value] of Object.entries(params)) u.searchParams.set(key, value);
    return u.toString();
  };

  it('the migrator connects with sslmode=verify-full and the CA file, and refuses a server the CA did not sign', async () => {
    const good = await runCli(['migrate', 'status'], {
      env: { DATABASE_URL: url({ sslmode: 'verify-full', sslrootcert: path.join(certs, 'ca.pem') }) },
    });
    expect(good.stderr).toBe('');
    expect(good.code).toBe(0);
    const wrong = await runCli(['migrate', 'status'], {
      env: { DATABASE_URL: url({ sslmode: 'verify-full', sslrootcert: path.join(certs, 'other.pem') }) },
    });
    expect(wrong.code).toBe(1);
    expect(expectOneLine(wrong.stderr)).toMatch(
      /^usualstore-db: the server at 127\.0\.0\.1:\d+ was not verified \(.+\): sslrootcert must name the CA that signed its certificate \(for Amazon RDS, the region's CA bundle\), and the host must be the one in the certificate$/,
    );
    // The session really is encrypted.
    const ssl = await runCli(['shell', '-tA', '-c', 'select ssl from pg_stat_ssl where pid = pg_backend_pid()'], {
      env: { DATABASE_URL: url({ sslmode: 'verify-full', sslrootcert: path.join(certs, 'ca.pem') }) },
    });
    expect(ssl).toMatchObject({ code: 0, stdout: 't\n' });
  });

  it('copy moves a database into the empty production one over TLS, every table checked, no password printed', async () => {
    const source = await migratedDatabase('copy_source');
    try {
      await query(source.url, APPLICATION_ROWS);
      const target = url({ sslmode: 'verify-full', sslrootcert: path.join(certs, 'ca.pem') });
      const copied = await runCli(['copy', '--to', target], { env: { DATABASE_URL: source.url } });
      expect(copied.stderr).toBe('');
      expect(copied.code).toBe(0);
      expect(copied.stdout).toMatch(
        new RegExp(
          String.raw`^copied postgres@127\.0\.0\.1:\d+\/copy_source_\w+ into postgres@127\.0\.0\.1:\d+\/production in ${ELAPSED}: \d+ tables, \d+ rows, every table's row count equal on both sides\n$`,
        ),
      );
      for (const password of [new URL(source.url).password, base.password]) expect(copied.stdout + copied.stderr).not.toContain(password);
      expect(await query(base.toString(), 'select email from customers')).toEqual([{ email: 'ada@example.com' }]);
      // The migration history came along: production is at the same migration, nothing pending.
      const status = await runCli(['migrate', 'status', '--json'], { env: { DATABASE_URL: target } });
      expect(JSON.parse(status.stdout)).toMatchObject({ pending: [], edited: [], current: NEWEST_MIGRATION });
      // A second copy is refused: the target has tables, and nothing is overwritten.
      const again = await runCli(['copy', '--to', target], { env: { DATABASE_URL: source.url } });
      expect(again.code).toBe(1);
      expect(expectOneLine(again.stderr)).toMatch(
        /^usualstore-db: postgres@127\.0\.0\.1:\d+\/production already has \d+ tables; copy writes only into a database with none .*nothing was changed$/,
      );
    } finally {
      await source.drop();
    }
  }, 60000);
});
