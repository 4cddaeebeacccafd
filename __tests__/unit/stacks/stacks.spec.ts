/**
 * What the two stacks declare, property by property (issue 2), through cdktf's Testing
 * matchers, plus a snapshot of both stacks' JSON so that any other change shows in review.
 */
import fs from 'node:fs';
import path from 'node:path';
import { App, Testing } from 'cdktf';
// Declares the matchers' types (toHaveResourceWithProperties...) for TypeScript.
import 'cdktf/lib/testing/adapters/jest';
import { Container } from '@cdktf/provider-docker/lib/container';
import { Image } from '@cdktf/provider-docker/lib/image';
import { Network } from '@cdktf/provider-docker/lib/network';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { Volume } from '@cdktf/provider-docker/lib/volume';
import { addUsualstoreStacks, UsualstoreStacks } from '../../../stacks/app';
import { DatabaseConfig, defaultConfig, loadConfig, resolveConfig } from '../../../config/database';
import { goDuration } from '../../../stacks/constructs/postgres-container';
import { NO_PASSWORD_FILE } from '../../../config/deploy-password';

Testing.setupJest();

// Testing.synth renders in memory; new App() only creates the (empty) outdir, and not its
// parent: made here so that this file also runs alone on a fresh clone (npm run test:unit).
// Inside the project, as the stacks require, and one level deep like cdktf.out, so the
// relative paths in the JSON are the ones a real synth writes: the tests' git-ignored .test-out.
const OUTDIR = path.resolve(__dirname, '..', '..', '..', '.test-out');
fs.mkdirSync(OUTDIR, { recursive: true });

function stacks(config: DatabaseConfig = defaultConfig, allowVolumeDestroy = false): UsualstoreStacks {
  const app: App = Testing.app({ outdir: OUTDIR });
  return addUsualstoreStacks(app, { config, allowVolumeDestroy });
}

interface StackJson {
  resource: Record<string, Record<string, Record<string, any>>>;
  locals?: Record<string, string>;
  output: Record<string, { value: unknown; sensitive?: boolean }>;
  variable?: Record<string, Record<string, unknown>>;
  terraform: { backend: { local: { path: string } } };
  data?: unknown;
}

const parsed = (json: string): StackJson => JSON.parse(json) as StackJson;

describe('stack usualstore-data', () => {
  const synth = Testing.synth(stacks().data);
  const json = parsed(synth);

  it('holds the volume alone, labelled, and guarded against deletion', () => {
    expect(synth).toHaveResourceWithProperties(Volume, {
      name: 'usualstore_db_data',
      labels: [{ label: 'com.usualstore.volume', value: 'database' }],
      lifecycle: expect.objectContaining({ prevent_destroy: true }),
    });
    expect(Object.keys(json.resource)).toEqual(['docker_volume', 'terraform_data']);
    expect(Object.keys(json.resource.docker_volume)).toEqual(['usualstore_db_data']);
    expect(json.variable).toBeUndefined();
  });

  it("refuses the volume's creation with the synth's refusals (a lost volume), read from beside the JSON", () => {
    expect(json.locals).toEqual({ deploy_refusals: '${fileexists("deploy-refusals.txt") ? trimspace(file("deploy-refusals.txt")) : ""}' });
    expect(json.resource.docker_volume.usualstore_db_data.lifecycle.precondition).toEqual([
      { condition: '${local.deploy_refusals == ""}', error_message: '${local.deploy_refusals}' },
    ]);
  });

  it('records that it created the volume, by name, in a resource no refresh drops', () => {
    expect(json.resource.terraform_data.data_volume_record).toMatchObject({
      input: { volume: 'usualstore_db_data' },
      depends_on: ['docker_volume.usualstore_db_data'],
    });
  });

  it('drops the guard only when asked to (npm run wipe)', () => {
    expect(Testing.synth(stacks(defaultConfig, true).data)).toHaveResourceWithProperties(Volume, {
      lifecycle: expect.objectContaining({ prevent_destroy: false }),
    });
  });

  it('keeps its state in a relative local path', () => {
    expect(json.terraform.backend.local.path).toBe('../../../terraform.usualstore-data.tfstate');
  });

  it('uses the Docker provider without a machine-specific host', () => {
    expect(synth).toHaveProvider(DockerProvider);
  });
});

describe('stack usualstore-database', () => {
  const built = stacks();
  const synth = Testing.synth(built.database);
  const json = parsed(synth);
  const container = json.resource.docker_container.database;

  it('is deployed after the data stack and does not read its state', () => {
    expect(built.database.dependencies).toContain(built.data);
    expect(json.data).toBeUndefined();
    expect(synth).not.toContain('terraform_remote_state');
    expect(json.resource.docker_volume).toBeUndefined();
  });

  it('declares the labelled bridge network', () => {
    expect(synth).toHaveResourceWithProperties(Network, {
      name: 'usualstore_network',
      driver: 'bridge',
      labels: [expect.objectContaining({ label: 'com.usualstore.network' })],
    });
  });

  it('declares the postgres:15 image, kept locally', () => {
    expect(synth).toHaveResourceWithProperties(Image, { name: 'postgres:15', keep_locally: true });
    expect(container.image).toBe('${docker_image.postgres.image_id}');
  });

  it('accepts a digest-pinned image reference', () => {
    const image = `postgres:15@sha256:${'0123456789abcdef'.repeat(4)}`;
    expect(Testing.synth(stacks(resolveConfig({ image })).database)).toHaveResourceWithProperties(Image, { name: image });
  });

  it('runs the container as the seed does', () => {
    expect(synth).toHaveResourceWithProperties(Container, {
      name: 'usualstore-database',
      command: ['postgres', '-c', 'listen_addresses=*', '-c', 'max_connections=200'],
      restart: 'unless-stopped',
      wait: true,
      wait_timeout: 120,
      destroy_grace_seconds: 60,
      stop_timeout: 60,
      must_run: false,
      labels: expect.arrayContaining([
        { label: 'com.usualstore.service', value: 'database' },
        { label: 'com.usualstore.tier', value: 'data' },
      ]),
    });
    expect(container.labels).toHaveLength(2);
  });

  it('gives the container its password as a file uploaded at creation, never in its environment or a variable', () => {
    expect(synth).toHaveResourceWithProperties(Container, {
      env: ['POSTGRES_USER=postgres', 'POSTGRES_DB=usualstore', 'POSTGRES_PASSWORD_FILE=/run/secrets/postgres-password'],
    });
    expect(container.upload).toEqual([
      {
        file: '/run/secrets/postgres-password',
        source: '../../../.secrets/postgres-password',
        source_hash: '${local.password_file_present ? trimspace(file("../../../.secrets/postgres-password.generation")) : ""}',
        permissions: '0400',
      },
    ]);
    // A variable's value is written into every saved plan.
    expect(json.variable).toBeUndefined();
  });

  it('refuses to create the container without the password file, or with what the synth refused, saying what to do', () => {
    expect(json.locals?.password_file_present).toBe(
      '${fileexists("../../../.secrets/postgres-password") && fileexists("../../../.secrets/postgres-password.generation")}',
    );
    expect(container.lifecycle.precondition).toEqual([
      { condition: '${local.password_file_present}', error_message: NO_PASSWORD_FILE },
      { condition: '${local.deploy_refusals == ""}', error_message: '${local.deploy_refusals}' },
    ]);
  });

  it("sets the deploy's password on a new container's server before the hook runs (password sync)", () => {
    expect(container.provisioner).toEqual([
      {
        'local-exec': {
          command: 'node ../../../bin/usualstore-db.js password sync --wait 120',
          environment: {
            DATABASE_URL: 'postgres://postgres@127.0.0.1:5433/usualstore',
            NODE_EXTRA_CA_CERTS: '',
            PGPASSWORD: '',
            USUALSTORE_PASSWORD_COMMAND: 'cat ../../../.secrets/postgres-password',
          },
        },
      },
    ]);
    expect(json.resource.terraform_data.migrations.depends_on).toEqual(['docker_container.database']);
  });

  it('publishes 5432 on 5433 bound to 127.0.0.1 only', () => {
    expect(container.ports).toEqual([{ internal: 5432, external: 5433, ip: '127.0.0.1', protocol: 'tcp' }]);
  });

  it('publishes on ::1 too only when asked, after 127.0.0.1 (the order Docker >= 27 reads back)', () => {
    const ipv6 = parsed(Testing.synth(stacks(loadConfig({ USUALSTORE_DB_PUBLISH_IPV6: '1' })).database));
    expect(ipv6.resource.docker_container.database.ports).toEqual([
      { internal: 5432, external: 5433, ip: '127.0.0.1', protocol: 'tcp' },
      { internal: 5432, external: 5433, ip: '::1', protocol: 'tcp' },
    ]);
  });

  it('never lets a refresh delete a stopped container (must_run = false)', () => {
    expect(container.must_run).toBe(false);
  });

  it("gives PostgreSQL the same shutdown grace on Docker's own stops as on Terraform's delete", () => {
    expect(container.stop_timeout).toBe(container.destroy_grace_seconds);
  });

  it('joins the network with the alias database', () => {
    expect(synth).toHaveResourceWithProperties(Container, {
      networks_advanced: [expect.objectContaining({ name: '${docker_network.usualstore_network.name}', aliases: ['database'] })],
    });
  });

  it('mounts the volume by name at PGDATA', () => {
    expect(synth).toHaveResourceWithProperties(Container, {
      volumes: [expect.objectContaining({ volume_name: 'usualstore_db_data', container_path: '/var/lib/postgresql/data' })],
    });
  });

  it('checks health over TCP every 10s, timeout 5s, 5 retries, start period 10s', () => {
    expect(synth).toHaveResourceWithProperties(Container, {
      healthcheck: expect.objectContaining({
        test: ['CMD', 'pg_isready', '-U', 'postgres', '-d', 'usualstore', '-h', '127.0.0.1'],
        interval: '10s',
        timeout: '5s',
        retries: 5,
        start_period: '10s',
      }),
    });
    // start_interval needs Docker Engine 25: left out unless opted in.
    expect((container.healthcheck as Record<string, unknown>).start_interval).toBeUndefined();
  });

  it('sets a healthcheck start interval only when asked (USUALSTORE_DB_HEALTH_START_INTERVAL)', () => {
    const opted = parsed(Testing.synth(stacks(loadConfig({ USUALSTORE_DB_HEALTH_START_INTERVAL: '1' })).database));
    expect(opted.resource.docker_container.database.healthcheck).toMatchObject({ start_interval: '1s' });
  });

  it('writes every duration as the provider reads it back from Docker (Go duration text)', () => {
    const config = resolveConfig({
      healthcheck: { intervalSeconds: 60, timeoutSeconds: 90, startPeriodSeconds: 3600, startIntervalSeconds: 61 },
    });
    const json = parsed(Testing.synth(stacks(config).database));
    expect(json.resource.docker_container.database.healthcheck).toMatchObject({
      interval: '1m0s',
      timeout: '1m30s',
      start_period: '1h0m0s',
      start_interval: '1m1s',
    });
  });

  it('outputs the container, the internal and host addresses, and URLs without the password (outputs are stored in the state)', () => {
    expect(json.output).toEqual({
      container_name: expect.objectContaining({ value: '${docker_container.database.name}' }),
      container_id: expect.objectContaining({ value: '${docker_container.database.id}' }),
      internal_host: expect.objectContaining({ value: 'database' }),
      internal_port: expect.objectContaining({ value: 5432 }),
      host_port: expect.objectContaining({ value: 5433 }),
      host_database_url: expect.objectContaining({ value: 'postgres://postgres@localhost:5433/usualstore' }),
      network_database_url: expect.objectContaining({ value: 'postgres://postgres@database:5432/usualstore' }),
    });
    expect(JSON.stringify(json.output)).not.toContain('password}');
  });

  it('keeps its state in a relative local path', () => {
    expect(json.terraform.backend.local.path).toBe('../../../terraform.usualstore-database.tfstate');
  });

  it('follows the configuration', () => {
    const config = resolveConfig({ hostPort: 15433, maxConnections: 50, containerName: 'other-db', user: 'admin', database: 'shop' });
    const other = Testing.synth(stacks(config).database);
    expect(other).toHaveResourceWithProperties(Container, {
      name: 'other-db',
      command: ['postgres', '-c', 'listen_addresses=*', '-c', 'max_connections=50'],
      ports: [expect.objectContaining({ external: 15433 })],
      healthcheck: expect.objectContaining({ test: ['CMD', 'pg_isready', '-U', 'admin', '-d', 'shop', '-h', '127.0.0.1'] }),
    });
    expect(parsed(other).output.host_database_url.value).toBe('postgres://admin@localhost:15433/shop');
  });
});

/**
 * The migration hook's trigger holds each file of migrations/ with its sha256: it changes with every new migration,
 * which is the point of it (hook-synth.spec.ts checks it), not a change of the stacks. The
 * snapshot holds a placeholder so that adding a migration does not break it.
 */
function normalized(stackJson: string): StackJson {
  const json = JSON.parse(stackJson);
  const hook = json.resource?.terraform_data?.migrations;
  if (hook) {
    for (const sum of Object.values(hook.triggers_replace)) expect(sum).toMatch(/^[0-9a-f]{64}$/);
    hook.triggers_replace = { '<each file of migrations/>': '<its sha256>' };
  }
  return json;
}

describe('goDuration', () => {
  it.each([
    [0, '0s'],
    [1, '1s'],
    [59, '59s'],
    [60, '1m0s'],
    [61, '1m1s'],
    [3599, '59m59s'],
    [3600, '1h0m0s'],
    [3661, '1h1m1s'],
  ])('%i s is %s, as Go prints a time.Duration', (seconds, text) => {
    expect(goDuration(seconds)).toBe(text);
  });
});

describe('synthesized JSON', () => {
  it('matches the reviewed snapshot (both stacks)', () => {
    const built = stacks();
    // Testing.synth already drops cdktf's "//" metadata (construct paths, cdktf version) and sorts
    // keys: what is left is exactly what Terraform acts on.
    expect(normalized(Testing.synth(built.data))).toMatchSnapshot('usualstore-data');
    expect(normalized(Testing.synth(built.database))).toMatchSnapshot('usualstore-database');
  });
});
