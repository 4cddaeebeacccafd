/**
 * One list of refusals, through both ways in: every refusal the deploy makes is made by
 * `npm run deploy` (in one line, before Terraform) and by the real `cdktf deploy` (the stacks'
 * preconditions, evaluated by the real Terraform), against a real Docker Engine 20.10 (Debian's
 * docker.io, in its own network namespace) that the synth's checks ask; and what one accepts, so
 * does the other, ending with a migrated database. The docker resources stand in as
 * terraform_data (the provider cannot be downloaded here: support/terraform-json.ts); the
 * container the checks see is a real one in the engine, named as the stack names it and
 * publishing the configured port, while the migrations run against a PostgreSQL 15 on that port
 * of this machine. Also here: `usualstore-db preflight`, npm run wipe's questions, the container's
 * password step (`password sync`) on a real PostgreSQL 15 container, and the synth's JSON with and
 * without Docker and a password.
 */
import fs from 'node:fs';
import path from 'node:path';
import { cdktf, makeCheckout, readTree, removeCheckout, run, type RunResult } from '../support/checkout';
import { deployEnv, makeDeployCheckout, startDeployTarget, writeTfvars, type DeployTarget } from '../support/deploy-checkout';
import {
  busyboxImageUnavailable,
  DockerEngine,
  dockerEngineUnavailable,
  importBusyboxImage,
  importPostgresImage,
  postgresImageUnavailable,
  startDockerEngine,
} from '../support/docker-engine';
import { skipUnless } from '../support/skip';
import { NO_PASSWORD_FILE } from '../../config/deploy-password';

const unavailable = dockerEngineUnavailable() ?? busyboxImageUnavailable();
const describeWithEngine = skipUnless(unavailable && `no real Docker Engine: ${unavailable}`, 'docker-engine', 'the deploy checks tests');
const postgresMissing = unavailable ?? postgresImageUnavailable();
const describeWithPostgres = skipUnless(postgresMissing, 'docker-engine', 'the password step on a real PostgreSQL container');

const VOLUME = 'usualstore_db_data';
const CONTAINER = 'usualstore-database';
const NETWORK = 'usualstore_network';

/** Terraform's error box, read as text: its frame and line breaks gone. */
const flat = (text: string) => text.replace(/\u001b\[[0-9;]*m/g, '').replace(/[\s│╷╵]+/g, ' ');

describeWithEngine('the deploy refuses the same things whichever way it runs (Docker Engine 20.10)', () => {
  let engine: DockerEngine;
  let target: DeployTarget;
  let image: string;
  let viaNpm: string;
  let viaCdktf: string;

  /** The project's container as the checks see it: running, publishing the configured port. */
  const runContainer = () =>
    engine.docker([
      'run',
      '-d',
      '--name',
      CONTAINER,
      '--network',
      NETWORK,
      '-p',
      `127.0.0.1:${target.port}:5432`,
      image,
      '/bin/busybox',
      'sleep',
      '3600',
    ]);
  /** The volume and the container as a healthy deploy leaves them. */
  const ensureHealthy = () => {
    if (!engine.docker(['volume', 'ls', '-q']).split('\n').includes(VOLUME)) engine.docker(['volume', 'create', VOLUME]);
    if (!engine.docker(['ps', '-q', '--filter', `name=^${CONTAINER}$`]).trim()) runContainer();
  };
  const env = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({ ...deployEnv(target), DOCKER_HOST: engine.host, ...extra });
  const npmDeploy = (extra?: NodeJS.ProcessEnv): Promise<RunResult> =>
    run(process.execPath, [path.join(viaNpm, 'bin', 'usualstore-db.js'), 'deploy'], { cwd: viaNpm, env: env(extra), timeoutMs: 180000 });
  const cdktfDeploy = (extra?: NodeJS.ProcessEnv): Promise<RunResult> => cdktf(viaCdktf, ['deploy', '*', '--auto-approve'], env(extra));
  const both = (extra?: NodeJS.ProcessEnv) => Promise.all([npmDeploy(extra), cdktfDeploy(extra)]);

  /** Refused by both, in `lines`' words: npm run deploy before Terraform, cdktf by a precondition. */
  const expectRefusedByBoth = ([npm, viaCli]: RunResult[], lines: string[]) => {
    expect(npm.code).toBe(1);
    expect(npm.stderr.trim().split('\n')).toEqual(lines.map((line) => `usualstore-db: ${line}`));
    expect(npm.stdout).not.toMatch(/Initializing|Terraform/);
    expect(viaCli.code).not.toBe(0);
    expect(flat(viaCli.stdout + viaCli.stderr)).toContain('Error: Resource precondition failed');
    for (const line of lines) expect(flat(viaCli.stdout + viaCli.stderr)).toContain(flat(line).trim());
  };
  const expectDeployedByBoth = ([npm, viaCli]: RunResult[]) => {
    expect({ code: npm.code, stderr: npm.stderr }).toEqual({ code: 0, stderr: '' });
    expect(npm.stdout.trim().split('\n').at(-1)).toMatch(/^deployed usualstore-data, usualstore-database in /);
    expect(viaCli.code).toBe(0);
    expect(flat(viaCli.stdout)).not.toContain('Error:');
  };

  beforeAll(async () => {
    engine = await startDockerEngine();
    image = importBusyboxImage(engine);
    engine.docker(['network', 'create', '--driver', 'bridge', NETWORK]);
    target = await startDeployTarget();
    viaNpm = makeDeployCheckout('checks-npm', target);
    viaCdktf = makeCheckout('checks-cdktf');
    writeTfvars(viaCdktf, target.password);
  }, 90000);

  afterAll(async () => {
    await engine?.stop();
    await target?.stop();
    for (const dir of [viaNpm, viaCdktf]) if (dir) removeCheckout(dir);
  });

  it('both deploy, ending migrated, when the volume is there and the port is the container’s', async () => {
    ensureHealthy();
    expectDeployedByBoth(await both());
    const [npm] = await both();
    expect(npm.stdout.split('\n')[0]).toMatch(
      new RegExp(
        `^checks: Docker Engine 20\\.10\\.\\S+ \\(API 1\\.41\\), \\.secrets/postgres-password unchanged from terraform\\.tfvars, volume ${VOLUME} present, port ${target.port} published by ${CONTAINER}: ready to deploy$`,
      ),
    );
  }, 240000);

  it('both refuse a data volume Docker lost, in the same line, and create nothing', async () => {
    engine.docker(['volume', 'rm', VOLUME]);
    expectRefusedByBoth(await both(), [
      `the data volume ${VOLUME} that this project created no longer exists in Docker (deleted outside Terraform: docker volume rm, docker system prune --volumes, or a Docker Desktop reset), so its data is gone; to start with an empty database on purpose deploy with USUALSTORE_NEW_EMPTY_VOLUME=${VOLUME} set, then restore a backup with ./usualstore-db restore FILE`,
    ]);
    // Neither ran an apply of the data stack: its state still has its record.
    for (const dir of [viaNpm, viaCdktf]) {
      const state = JSON.parse(fs.readFileSync(path.join(dir, 'terraform.usualstore-data.tfstate'), 'utf8'));
      expect(state.resources.map((r: { name: string }) => r.name)).toContain('data_volume_record');
    }
  }, 240000);

  it('both go on when asked for a new, empty volume by its name; both refuse any other value at synth', async () => {
    const [npm, viaCli] = await both({ USUALSTORE_NEW_EMPTY_VOLUME: VOLUME });
    expect(npm.stdout).toContain(`volume ${VOLUME} to be created anew, EMPTY, as asked (USUALSTORE_NEW_EMPTY_VOLUME)`);
    expectDeployedByBoth([npm, viaCli]);
    const [wrongNpm, wrongCli] = await both({ USUALSTORE_NEW_EMPTY_VOLUME: '1' });
    const line = `USUALSTORE_NEW_EMPTY_VOLUME must be exactly the volume name "${VOLUME}" to create it anew, empty (got "1")`;
    expect(wrongNpm.code).toBe(1);
    expect(wrongNpm.stderr).toContain(`usualstore: ${line}\n`);
    expect(wrongCli.code).not.toBe(0);
    expect(flat(wrongCli.stdout + wrongCli.stderr)).toContain(line);
    engine.docker(['volume', 'create', VOLUME]);
  }, 240000);

  it('both refuse a configuration the engine is too old for', async () => {
    const [npm, viaCli] = await both({ USUALSTORE_DB_HEALTH_START_INTERVAL: '1' });
    const line = npm.stderr.trim().replace(/^usualstore-db: /, '');
    expect(line).toMatch(
      /^Docker Engine 20\.10\.\S+ \(API 1\.41\) is too old: a healthcheck start interval \(USUALSTORE_DB_HEALTH_START_INTERVAL\) needs Docker Engine 25 or later \(API 1\.44\); upgrade Docker, or unset the variable named$/,
    );
    expectRefusedByBoth([npm, viaCli], [line]);
  }, 240000);

  it('both refuse the port when another program holds it', async () => {
    engine.docker(['rm', '-f', CONTAINER]);
    try {
      // The PostgreSQL the migrations run against holds it now, as a local PostgreSQL would.
      expectRefusedByBoth(await both(), [
        `port ${target.port} on 127.0.0.1 is in use by another program (a local PostgreSQL?): stop it, or deploy on another port with USUALSTORE_DB_HOST_PORT=${target.port + 1} set`,
      ]);
    } finally {
      runContainer();
    }
  }, 240000);

  it('npm run deploy of the real stacks, with no registry to fetch the docker provider from, names it in one line with the ways to give it offline', async () => {
    ensureHealthy();
    const result = await run(process.execPath, [path.join(viaCdktf, 'bin', 'usualstore-db.js'), 'deploy'], {
      cwd: viaCdktf,
      env: env(),
      timeoutMs: 120000,
    });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n').at(-1)).toMatch(
      /^usualstore-db: terraform init of usualstore-data failed \(exit 1\): could not fetch the provider kreuzwerker\/docker 3\.6\.2 \(could not connect to registry\.terraform\.io\); give it offline: run terraform providers mirror DIR in cdktf\.out\/stacks\/usualstore-data .*filesystem_mirror.*; no stack was changed before it$/,
    );
  }, 120000);

  it.each([
    [
      'the placeholder',
      'postgres_password = "CHANGE-ME"\n',
      'postgres_password in terraform.tfvars is still the placeholder from terraform.tfvars.example; set a real password',
    ],
    ['an empty password', 'postgres_password = ""\n', 'postgres_password in terraform.tfvars is empty; set a real password'],
    [
      'a terraform.tfvars without it',
      'other = "x"\n',
      'terraform.tfvars does not set postgres_password; add the line postgres_password = "…" (see terraform.tfvars.example)',
    ],
    [
      'a heredoc',
      'postgres_password = <<EOT\nx\nEOT\n',
      'postgres_password in terraform.tfvars is not a plain string (a template or a heredoc): the deploy writes it to the container\'s password file, so give it as postgres_password = "…"',
    ],
  ])(
    'both refuse %s',
    async (_name, tfvars, line) => {
      for (const dir of [viaNpm, viaCdktf]) fs.writeFileSync(path.join(dir, 'terraform.tfvars'), tfvars);
      try {
        expectRefusedByBoth(await both(), [line]);
      } finally {
        for (const dir of [viaNpm, viaCdktf]) writeTfvars(dir, target.password);
      }
    },
    240000,
  );

  it('both refuse without any password (no setting, no password file), saying what to do', async () => {
    for (const dir of [viaNpm, viaCdktf]) {
      fs.rmSync(path.join(dir, 'terraform.tfvars'));
      fs.rmSync(path.join(dir, '.secrets'), { recursive: true });
    }
    try {
      const results = await both();
      expectRefusedByBoth(results, [NO_PASSWORD_FILE]);
      // It is Terraform's own guard (fileexists) that refuses it under cdktf.
      expect(fs.existsSync(path.join(viaCdktf, 'cdktf.out', 'stacks', 'usualstore-database', 'deploy-refusals.txt'))).toBe(false);
    } finally {
      for (const dir of [viaNpm, viaCdktf]) writeTfvars(dir, target.password);
    }
  }, 240000);

  it('a synth with no Docker and no password writes the same JSON, byte for byte, as one with both, and says nothing', async () => {
    const json = (dir: string) =>
      new Map([...readTree(path.join(dir, 'cdktf.out'))].filter(([file]) => file.endsWith('cdk.tf.json') || file === 'manifest.json'));
    const synth = (extra: NodeJS.ProcessEnv) => run(process.execPath, ['--import', 'tsx', 'main.ts'], { cwd: viaCdktf, env: env(extra) });
    const withBoth = await synth({});
    expect(withBoth).toMatchObject({ code: 0, stdout: '', stderr: '' });
    const a = json(viaCdktf);
    const bare = makeCheckout('checks-bare');
    try {
      const withNeither = await run(process.execPath, ['--import', 'tsx', 'main.ts'], {
        cwd: bare,
        env: { ...deployEnv(target), DOCKER_HOST: 'unix:///nowhere/docker.sock' },
      });
      expect(withNeither).toMatchObject({ code: 0, stdout: '', stderr: '' });
      const b = json(bare);
      expect([...b.keys()]).toEqual([...a.keys()]);
      for (const [file, bytes] of a) expect({ file, same: bytes.equals(b.get(file)!) }).toEqual({ file, same: true });
    } finally {
      removeCheckout(bare);
    }
  });

  it('usualstore-db preflight deploy makes the same checks now and says what they found', async () => {
    const result = await run(process.execPath, [path.join(viaNpm, 'bin', 'usualstore-db.js'), 'preflight', 'deploy'], {
      cwd: viaNpm,
      env: env(),
    });
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(
      new RegExp(
        `^preflight: Docker Engine 20\\.10\\.\\S+ \\(API 1\\.41\\), .*, volume ${VOLUME} present, port ${target.port} published by ${CONTAINER}: ready to deploy\\n$`,
      ),
    );
  });

  it('with Docker down and a new password, npm run deploy says only what it did: no replacement claimed', async () => {
    // The real app (the stacks need Docker): the checkout cdktf runs.
    writeTfvars(viaCdktf, `${target.password}-new`);
    try {
      const result = await run(process.execPath, [path.join(viaCdktf, 'bin', 'usualstore-db.js'), 'deploy'], {
        cwd: viaCdktf,
        env: env({ DOCKER_HOST: 'unix:///nowhere/docker.sock' }),
      });
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(
        /^usualstore-db: the Docker daemon is not running or not reachable \(DOCKER_HOST=unix:\/\/\/nowhere\/docker\.sock\)/,
      );
      expect(result.stdout + result.stderr).not.toMatch(/replace/);
      expect(result.stderr.split('\n')).toHaveLength(2);
    } finally {
      writeTfvars(viaCdktf, target.password);
    }
  });

  describe('npm run wipe', () => {
    const wipe = (extra: NodeJS.ProcessEnv) => run('bash', ['scripts/wipe.sh'], { cwd: viaNpm, env: env(extra) });

    it.each([
      ['no terminal and no confirmation', {}],
      ['a wrong confirmation', { USUALSTORE_WIPE_CONFIRM: 'yes' }],
      ['a confirmation of another name', { USUALSTORE_WIPE_CONFIRM: 'usualstore-database' }],
    ])('with %s is cancelled after the checks, before anything runs', async (_name, extra) => {
      const result = await wipe(extra);
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(/^preflight: .*: ready to wipe\n$/);
      expect(result.stderr).toBe(
        'usualstore: wipe cancelled: confirmation did not match the volume name "usualstore_db_data" (nothing was changed)\n',
      );
    });

    it('asks nothing when Docker does not answer', async () => {
      const result = await wipe({ DOCKER_HOST: 'unix:///nowhere/docker.sock', USUALSTORE_WIPE_CONFIRM: VOLUME });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^usualstore-db: the Docker daemon is not running or not reachable/);
      expect(result.stderr.split('\n')).toHaveLength(2);
    });
  });
});

describeWithPostgres('password sync: a new container on a volume that already holds a database (Docker Engine 20.10)', () => {
  let engine: DockerEngine;
  let image: string;
  let dir: string;
  const PORT = 5433;
  const PASSWORD = 'the-deploy-password-5e1';

  beforeAll(async () => {
    engine = await startDockerEngine();
    image = importPostgresImage(engine);
    engine.docker(['network', 'create', '--driver', 'bridge', NETWORK]);
    dir = makeCheckout('password-sync');
    fs.mkdirSync(path.join(dir, '.secrets'), { mode: 0o700 });
    fs.writeFileSync(path.join(dir, '.secrets', 'postgres-password'), PASSWORD, { mode: 0o600 });
  }, 90000);
  afterAll(async () => {
    await engine?.stop();
    if (dir) removeCheckout(dir);
  });
  afterEach(() => engine.docker(['rm', '-f', CONTAINER]));

  /** A real PostgreSQL 15 container initialised with `password`, publishing 5433 in the engine's
   * namespace; resolves once it takes TCP logins. */
  const runServer = async (password: string, extra: string[] = []) => {
    engine.docker([
      'run',
      '-d',
      '--name',
      CONTAINER,
      '--network',
      NETWORK,
      '-p',
      `127.0.0.1:${PORT}:5432`,
      '-e',
      `POSTGRES_PASSWORD=${password}`,
      '-e',
      'POSTGRES_DB=usualstore',
      ...extra.flatMap((e) => ['-e', e]),
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
  /** As the container's provisioner runs it (the stack's environment), on this machine's side of
   * the published port: in the engine's network namespace. */
  const sync = () =>
    run(
      'nsenter',
      [`--net=${engine.netns}`, process.execPath, path.join(dir, 'bin', 'usualstore-db.js'), 'password', 'sync', '--wait', '30'],
      {
        cwd: dir,
        env: {
          DOCKER_HOST: engine.host,
          DATABASE_URL: `postgres://postgres@127.0.0.1:${PORT}/usualstore`,
          USUALSTORE_PASSWORD_COMMAND: 'cat .secrets/postgres-password',
          PGPASSWORD: '',
        },
      },
    );

  it("sets the deploy's password on a server that kept its first one, says so, and the old one stops working", async () => {
    await runServer('the-first-password');
    const result = await sync();
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toBe(
      "set the password of postgres on the server to the deploy's (USUALSTORE_PASSWORD_COMMAND): the database kept the one it was created with\n",
    );
    expect(loginWorks(PASSWORD)).toBe(true);
    expect(loginWorks('the-first-password')).toBe(false);
    // Never on a command line or in the server's log.
    expect(engine.docker(['logs', CONTAINER])).not.toContain(PASSWORD);
    const again = await sync();
    expect(again.stdout).toBe('password of postgres matches the server (USUALSTORE_PASSWORD_COMMAND)\n');
  }, 120000);

  it('stops in one line saying what to do when the server cannot be changed', async () => {
    await runServer('the-first-password', ['LOCAL_AUTH=scram-sha-256']);
    const result = await sync();
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^usualstore-db: the server refuses the deploy's password for postgres \(it keeps the one its database was created with\) and it could not be changed through docker exec usualstore-database \(.*password.*\): connect with the old password and run ALTER ROLE postgres PASSWORD '…', then deploy again\n$/,
    );
    expect(loginWorks('the-first-password')).toBe(true);
  }, 120000);
});
