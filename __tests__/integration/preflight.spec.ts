/**
 * `usualstore-db preflight` (what npm run deploy/destroy/wipe run before cdktf) against a real
 * Docker Engine 20.10 (Debian's docker.io, in its own network namespace): engine version checks,
 * an unreachable daemon, a data volume lost outside Terraform, a stopped container started, a
 * busy port, owner-only state files; and npm run wipe, which runs it before asking anything.
 * Run in a checkout, so that the state files it reads are the checkout's, never the project's.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { makeCheckout, removeCheckout, run, RunResult } from '../support/checkout';
import {
  busyboxImageUnavailable,
  DockerEngine,
  dockerEngineUnavailable,
  importBusyboxImage,
  importPostgresImage,
  postgresImageUnavailable,
  startDockerEngine,
} from '../support/docker-engine';
import { itUnless, skipUnless } from '../support/skip';

const unavailable = dockerEngineUnavailable();
const describeWithEngine = skipUnless(unavailable && `a real Docker Engine: ${unavailable}`, 'docker-engine', 'the preflight tests');
// Parts of it also need an image that runs, built from local files.
const itWithBusybox = itUnless(unavailable ?? busyboxImageUnavailable(), 'docker-engine', 'starting a stopped container');
const describeWithPostgres = skipUnless(unavailable ?? postgresImageUnavailable(), 'docker-engine', 'the server password tests');

const PASSWORD = 'a-real-password-3f9c';
const VOLUME = 'usualstore_db_data';
const CONTAINER = 'usualstore-database';

describeWithEngine('usualstore-db preflight against Docker Engine 20.10', () => {
  let engine: DockerEngine;
  let dir: string;

  beforeAll(async () => {
    engine = await startDockerEngine();
    dir = makeCheckout('preflight');
  }, 60000);

  afterAll(async () => {
    await engine?.stop();
    if (dir) removeCheckout(dir);
  });

  afterEach(() => {
    for (const file of fs.readdirSync(dir))
      if (/^terraform\..*tfstate|^terraform\.tfvars$|^\.secrets$/.test(file)) fs.rmSync(path.join(dir, file), { recursive: true });
    engine.docker(['rm', '-f', CONTAINER]);
    if (engine.docker(['volume', 'ls', '-q']).includes(VOLUME)) engine.docker(['volume', 'rm', VOLUME]);
  });

  const preflight = (action: string, env: NodeJS.ProcessEnv = {}): Promise<RunResult> =>
    run(process.execPath, [path.join(dir, 'bin', 'usualstore-db.js'), 'preflight', action], {
      cwd: dir,
      env: { DOCKER_HOST: engine.host, TF_VAR_postgres_password: PASSWORD, ...env },
    });

  const expectOneLineRefusal = (result: RunResult, text: string) => {
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`usualstore-db: ${text}\n`);
    expect(result.stdout).toBe('');
  };

  /** The data stack's state as Terraform writes it after creating the volume. */
  const writeDataState = () =>
    fs.writeFileSync(
      path.join(dir, 'terraform.usualstore-data.tfstate'),
      JSON.stringify({
        version: 4,
        resources: [{ mode: 'managed', type: 'docker_volume', name: VOLUME, instances: [{ attributes: { id: VOLUME, name: VOLUME } }] }],
      }),
    );

  it("writes the container's password file from the deploy's password; a new one says the container is replaced", async () => {
    const file = path.join(dir, '.secrets', 'postgres-password');
    fs.rmSync(path.join(dir, '.secrets'), { recursive: true, force: true });
    expect((await preflight('destroy')).code).toBe(0);
    expect(fs.readFileSync(file, 'utf8')).toBe(PASSWORD);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const rotated = await preflight('destroy', { TF_VAR_postgres_password: `${PASSWORD}-rotated` });
    expect(rotated.code).toBe(0);
    expect(rotated.stdout).toContain(
      'preflight: wrote the new password to .secrets/postgres-password; the container is replaced with it (its data volume stays)\n',
    );
    expect(fs.readFileSync(file, 'utf8')).toBe(`${PASSWORD}-rotated`);
    expect(rotated.stdout + rotated.stderr).not.toContain(PASSWORD);
  });

  it('refuses a password only Terraform could evaluate (a template or heredoc): the file needs its value', async () => {
    fs.writeFileSync(path.join(dir, 'terraform.tfvars'), 'postgres_password = <<EOT\nx\nEOT\n', { mode: 0o600 });
    expectOneLineRefusal(
      await preflight('deploy'),
      'postgres_password in terraform.tfvars is not a plain string (a template or a heredoc): the deploy writes it to the container\'s password file, so give it as postgres_password = "…"',
    );
  });

  it('passes on Engine 20.10 with the default configuration, in one summary line', async () => {
    const result = await preflight('deploy');
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(
      /^preflight: Docker Engine 20\.10\.\S+ \(API 1\.41\), \.secrets\/postgres-password written, volume usualstore_db_data to be created, container usualstore-database to be created, port 5433 free: ready to deploy\n$/,
    );
  });

  it.each([
    ['a healthcheck start interval', { USUALSTORE_DB_HEALTH_START_INTERVAL: '1' }, 'needs Docker Engine 25 or later (API 1.44)'],
    ['publishing on ::1', { USUALSTORE_DB_PUBLISH_IPV6: '1' }, 'needs Docker Engine 27 or later (API 1.46)'],
  ])('refuses %s on Engine 20.10, in one line, before anything else', async (_name, env, needs) => {
    const result = await preflight('deploy', env);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      new RegExp(
        `^usualstore-db: Docker Engine 20\\.10\\.\\S+ \\(API 1\\.41\\) is too old: .*${needs.replace(/[().]/g, '\\$&')}; upgrade Docker, or unset the variable named\\n$`,
      ),
    );
  });

  it('says in one line that the daemon does not answer, naming DOCKER_HOST', async () => {
    const host = `unix://${dir}/no-such.sock`;
    const result = await preflight('deploy', { DOCKER_HOST: host });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      new RegExp(
        `^usualstore-db: the Docker daemon is not running or not reachable \\(DOCKER_HOST=${host.replace(/[.]/g, '\\.')}\\) \\(.*\\): start Docker .* and run it again\\n$`,
      ),
    );
  });

  it('says in one line that docker is not installed', async () => {
    const result = await preflight('deploy', { PATH: path.join(dir, 'no-bin') });
    expectOneLineRefusal(
      result,
      'the docker command is not installed (not on PATH): install Docker Desktop or Docker Engine, start it, and run it again',
    );
  });

  it('refuses a missing or placeholder password before asking Docker anything', async () => {
    expectOneLineRefusal(
      await preflight('deploy', { TF_VAR_postgres_password: undefined, DOCKER_HOST: 'unix:///nowhere' }),
      'terraform.tfvars not found; copy terraform.tfvars.example to terraform.tfvars and set postgres_password (or export TF_VAR_postgres_password)',
    );
    fs.copyFileSync(path.join(dir, 'terraform.tfvars.example'), path.join(dir, 'terraform.tfvars'));
    expectOneLineRefusal(
      await preflight('destroy'),
      'postgres_password in terraform.tfvars is still the placeholder from terraform.tfvars.example; set a real password',
    );
  });

  describe('a data volume deleted outside Terraform', () => {
    it('stops the deploy in one line saying the data is gone and how to go on; creates nothing', async () => {
      writeDataState();
      expectOneLineRefusal(
        await preflight('deploy'),
        'the data volume usualstore_db_data that this project created no longer exists in Docker (deleted outside Terraform: docker volume rm, docker system prune --volumes, or a Docker Desktop reset), so its data is gone; to start with an empty database on purpose run USUALSTORE_NEW_EMPTY_VOLUME=usualstore_db_data npm run deploy, then restore a backup with ./usualstore-db restore FILE',
      );
      expect(engine.docker(['volume', 'ls', '-q'])).not.toContain(VOLUME);
    });

    it('goes on when the user asks for a new empty volume by its name', async () => {
      writeDataState();
      const result = await preflight('deploy', { USUALSTORE_NEW_EMPTY_VOLUME: VOLUME });
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('volume usualstore_db_data to be created anew, EMPTY, as asked (USUALSTORE_NEW_EMPTY_VOLUME)');
    });

    it('refuses any other value of USUALSTORE_NEW_EMPTY_VOLUME', async () => {
      writeDataState();
      expectOneLineRefusal(
        await preflight('deploy', { USUALSTORE_NEW_EMPTY_VOLUME: '1' }),
        'USUALSTORE_NEW_EMPTY_VOLUME must be exactly the volume name "usualstore_db_data" to create it anew, empty (got "1")',
      );
    });

    it('is quiet when the volume is there', async () => {
      writeDataState();
      engine.docker(['volume', 'create', VOLUME]);
      const result = await preflight('deploy');
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('volume usualstore_db_data present');
    });
  });

  itWithBusybox('starts a stopped database container (the stack never lets a refresh delete it)', async () => {
    const image = importBusyboxImage(engine);
    engine.docker(['create', '--name', CONTAINER, '--network', 'none', image, '/bin/busybox', 'sleep', '600']);
    expect(engine.docker(['inspect', '--format', '{{.State.Status}}', CONTAINER]).trim()).toBe('created');
    const result = await preflight('deploy');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('preflight: started the stopped container usualstore-database\n');
    expect(engine.docker(['inspect', '--format', '{{.State.Status}}', CONTAINER]).trim()).toBe('running');
    // This image has no psql: the password comparison says it could not run, and goes on.
    expect(result.stdout).toMatch(/container usualstore-database started, password not checked \(.+\), port 5433 free: ready to deploy/);
  });

  describeWithPostgres('a password changed after the first deploy (the image applies it only to an empty volume)', () => {
    let image: string;
    beforeAll(() => {
      image = importPostgresImage(engine);
    }, 60000);

    /** A real PostgreSQL 15 container initialised with `password`; resolves once it takes TCP logins. */
    const runServer = async (password: string, env: string[] = []) => {
      engine.docker([
        'run',
        '-d',
        '--name',
        CONTAINER,
        '--network',
        'none',
        '-e',
        `POSTGRES_PASSWORD=${password}`,
        ...env.flatMap((e) => ['-e', e]),
        image,
      ]);
      for (let i = 0; i < 100 && !loginWorks(password); i++) await new Promise((resolve) => setTimeout(resolve, 100));
      expect(loginWorks(password)).toBe(true);
    };
    const loginWorks = (password: string): boolean => {
      try {
        engine.docker([
          'exec',
          '-e',
          `PGPASSWORD=${password}`,
          CONTAINER,
          'psql',
          '-h',
          '127.0.0.1',
          '-U',
          'postgres',
          '-d',
          'postgres',
          '-Atc',
          'select 1',
        ]);
        return true;
      } catch {
        return false;
      }
    };

    it('is set on the running server by the deploy, which says so; the old one stops working', async () => {
      await runServer('the-first-password');
      const result = await preflight('deploy');
      expect(result).toMatchObject({ code: 0, stderr: '' });
      expect(result.stdout).toContain(
        'preflight: set the password of postgres on the running server to the one in TF_VAR_postgres_password',
      );
      expect(result.stdout).toMatch(
        /container usualstore-database running, password changed on the server, port 5433 free: ready to deploy\n$/,
      );
      expect(loginWorks(PASSWORD)).toBe(true);
      expect(loginWorks('the-first-password')).toBe(false);
      // Never on a command line or in the server's log.
      expect(engine.docker(['logs', CONTAINER])).not.toContain(PASSWORD);
      const again = await preflight('deploy');
      expect(again.stdout).toMatch(/^preflight: .*container usualstore-database running, password matches the server, /);
    });

    it('stops the deploy in one line saying what to do when the server cannot be changed', async () => {
      await runServer('the-first-password', ['LOCAL_AUTH=scram-sha-256']);
      const result = await preflight('deploy');
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(
        /^usualstore-db: the running server's password for postgres is not the one in TF_VAR_postgres_password \(the postgres image sets POSTGRES_PASSWORD only when it creates the database\) and it could not be changed \(.*password.*\): put the old password back in TF_VAR_postgres_password, or connect with it and run ALTER ROLE postgres PASSWORD '…'\n$/,
      );
      expect(loginWorks('the-first-password')).toBe(true);
    });
  });

  it('refuses a host port another program listens on, naming the way out', async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    try {
      expectOneLineRefusal(
        await preflight('deploy', { USUALSTORE_DB_HOST_PORT: String(port) }),
        `port ${port} on 127.0.0.1 is in use by another program (a local PostgreSQL?): stop it, or deploy on another port with USUALSTORE_DB_HOST_PORT=${port + 1} npm run deploy`,
      );
    } finally {
      server.close();
    }
  });

  it('makes state files and terraform.tfvars readable by their owner only', async () => {
    const state = path.join(dir, 'terraform.usualstore-database.tfstate');
    fs.writeFileSync(state, '{}', { mode: 0o644 });
    fs.writeFileSync(path.join(dir, 'terraform.tfvars'), `postgres_password = "${PASSWORD}"\n`, { mode: 0o644 });
    const result = await preflight('destroy', { TF_VAR_postgres_password: undefined });
    expect(result.stdout).toMatch(
      /^preflight: Docker Engine 20\.10\.\S+ \(API 1\.41\), \.secrets\/postgres-password (written|unchanged): ready to destroy\n$/,
    );
    expect(fs.statSync(state).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.join(dir, 'terraform.tfvars')).mode & 0o777).toBe(0o600);
  });

  describe('npm run wipe', () => {
    const wipe = (env: NodeJS.ProcessEnv) => run('bash', ['scripts/wipe.sh'], { cwd: dir, env: { DOCKER_HOST: engine.host, ...env } });

    it.each([
      ['no terminal and no confirmation', {}],
      ['a wrong confirmation', { USUALSTORE_WIPE_CONFIRM: 'yes' }],
      ['a confirmation of another name', { USUALSTORE_WIPE_CONFIRM: 'usualstore-database' }],
    ])('with %s is cancelled after the preflight, before anything runs', async (_name, env) => {
      fs.writeFileSync(path.join(dir, 'terraform.tfvars'), `postgres_password = "${PASSWORD}"\n`);
      const result = await wipe(env);
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(/^preflight: .*: ready to wipe\n$/);
      expect(result.stderr).toBe(
        'usualstore: wipe cancelled: confirmation did not match the volume name "usualstore_db_data" (nothing was changed)\n',
      );
      expect(fs.existsSync(path.join(dir, 'cdktf.out'))).toBe(false);
    });

    it('asks nothing when Docker does not answer', async () => {
      fs.writeFileSync(path.join(dir, 'terraform.tfvars'), `postgres_password = "${PASSWORD}"\n`);
      const result = await wipe({ DOCKER_HOST: 'unix:///nowhere/docker.sock', USUALSTORE_WIPE_CONFIRM: VOLUME });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^usualstore-db: the Docker daemon is not running or not reachable/);
      expect(result.stderr.split('\n')).toHaveLength(2);
    });
  });
});
