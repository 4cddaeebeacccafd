/**
 * A real PgBouncer (Debian's pgbouncer; .ci/run installs it) in front of a test PostgreSQL, for the
 * tests of what a connection pooler does to a migration run. Transaction mode with round-robin
 * server sessions: consecutive transactions of one client reach different server sessions, as
 * they do under load. It runs as the `postgres` user (PgBouncer refuses root), in a directory of
 * its own; where it cannot start, `pgbouncerUnavailable` says why and the tests skip.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { tempDir } from './temp';

export interface PgBouncer {
  /** The server's URL with the pooler's port. */
  url: string;
  stop(): Promise<void>;
}

const BINARY = ['/usr/sbin/pgbouncer', '/usr/bin/pgbouncer'].find((file) => fs.existsSync(file));

export function pgbouncerUnavailable(): string | undefined {
  if (!BINARY) return 'pgbouncer is not installed (Debian: apt-get install pgbouncer)';
  if (process.getuid?.() === 0 && spawnSync('id', ['postgres'], { stdio: 'ignore' }).status !== 0)
    return 'no postgres user to run pgbouncer as';
  return undefined;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export async function startPgBouncer(serverUrl: string, poolMode: 'transaction' | 'session' = 'transaction'): Promise<PgBouncer> {
  const server = new URL(serverUrl);
  const dir = tempDir('pgb');
  fs.chmodSync(dir, 0o755);
  const port = await freePort();
  const user = decodeURIComponent(server.username);
  fs.writeFileSync(path.join(dir, 'users.txt'), `"${user}" "${decodeURIComponent(server.password)}"\n`);
  fs.writeFileSync(
    path.join(dir, 'pgbouncer.ini'),
    [
      '[databases]',
      `* = host=${server.hostname} port=${server.port}`,
      '[pgbouncer]',
      `listen_addr = 127.0.0.1`,
      `listen_port = ${port}`,
      `unix_socket_dir =`,
      `auth_type = plain`,
      `auth_file = ${path.join(dir, 'users.txt')}`,
      `pool_mode = ${poolMode}`,
      `server_round_robin = 1`,
      `default_pool_size = 4`,
      `ignore_startup_parameters = options`,
      `logfile = ${path.join(dir, 'pgbouncer.log')}`,
      `pidfile = ${path.join(dir, 'pgbouncer.pid')}`,
    ].join('\n'),
  );
  for (const file of fs.readdirSync(dir)) fs.chmodSync(path.join(dir, file), 0o644);
  if (process.getuid?.() === 0) execFileSync('chown', ['-R', 'postgres', dir]);
  const child = spawn(BINARY!, [...(process.getuid?.() === 0 ? ['-u', 'postgres'] : []), path.join(dir, 'pgbouncer.ini')], {
    stdio: 'ignore',
  });
  const deadline = Date.now() + 10000;
  for (;;) {
    const up = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => (socket.end(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (up) break;
    if (child.exitCode !== null || Date.now() > deadline) {
      const log = fs.existsSync(path.join(dir, 'pgbouncer.log')) ? fs.readFileSync(path.join(dir, 'pgbouncer.log'), 'utf8') : '';
      throw new Error(`pgbouncer did not start: ${log.trim().split('\n').slice(-3).join(' | ')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const url = new URL(serverUrl);
  url.port = String(port);
  return {
    url: url.toString(),
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
