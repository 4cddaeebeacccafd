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
import { DatabaseConfig, defaultConfig, resolveConfig } from '../../../stacks/config';

Testing.setupJest();

// Testing.synth renders in memory; new App() only creates the (empty) outdir. Given so that
// Testing.app does not leave a temporary directory in /tmp for every app.
const OUTDIR = path.resolve(__dirname, '..', '..', '..', '.test-out', 'unit-stacks');
afterAll(() => fs.rmSync(OUTDIR, { recursive: true, force: true }));

function stacks(config: DatabaseConfig = defaultConfig, allowVolumeDestroy = false): UsualstoreStacks {
  const app: App = Testing.app({ outdir: OUTDIR });
  return addUsualstoreStacks(app, { config, allowVolumeDestroy });
}

interface StackJson {
  resource: Record<string, Record<string, Record<string, unknown>>>;
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
    expect(Object.keys(json.resource)).toEqual(['docker_volume']);
    expect(Object.keys(json.resource.docker_volume)).toEqual(['usualstore_db_data']);
    expect(json.variable).toBeUndefined();
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
      labels: expect.arrayContaining([
        { label: 'com.usualstore.service', value: 'database' },
        { label: 'com.usualstore.tier', value: 'data' },
      ]),
    });
    expect(container.labels).toHaveLength(2);
  });

  it('takes the password from the sensitive variable, never a literal', () => {
    expect(synth).toHaveResourceWithProperties(Container, {
      env: ['POSTGRES_USER=postgres', 'POSTGRES_DB=usualstore', 'POSTGRES_PASSWORD=${var.postgres_password}'],
    });
    const variable = json.variable?.postgres_password;
    expect(variable).toMatchObject({ type: 'string', sensitive: true, nullable: false });
    expect(variable).not.toHaveProperty('default');
  });

  it('publishes 5432 on 5433 bound to 127.0.0.1 and ::1 only', () => {
    expect(synth).toHaveResourceWithProperties(Container, {
      ports: [
        expect.objectContaining({ internal: 5432, external: 5433, ip: '127.0.0.1', protocol: 'tcp' }),
        expect.objectContaining({ internal: 5432, external: 5433, ip: '::1', protocol: 'tcp' }),
      ],
    });
    expect(container.ports).toHaveLength(2);
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
        start_interval: '1s',
      }),
    });
  });

  it('outputs the container, the internal and host addresses, and sensitive connection strings', () => {
    expect(json.output).toEqual({
      container_name: expect.objectContaining({ value: '${docker_container.database.name}', sensitive: false }),
      container_id: expect.objectContaining({ value: '${docker_container.database.id}', sensitive: false }),
      internal_host: expect.objectContaining({ value: 'database', sensitive: false }),
      internal_port: expect.objectContaining({ value: 5432, sensitive: false }),
      host_port: expect.objectContaining({ value: 5433, sensitive: false }),
      host_connection_string: expect.objectContaining({
        value: 'postgres://postgres:${replace(urlencode(var.postgres_password), "+", "%20")}@localhost:5433/usualstore',
        sensitive: true,
      }),
      network_connection_string: expect.objectContaining({
        value: 'postgres://postgres:${replace(urlencode(var.postgres_password), "+", "%20")}@database:5432/usualstore',
        sensitive: true,
      }),
    });
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
      ports: [expect.objectContaining({ external: 15433 }), expect.objectContaining({ external: 15433 })],
      healthcheck: expect.objectContaining({ test: ['CMD', 'pg_isready', '-U', 'admin', '-d', 'shop', '-h', '127.0.0.1'] }),
    });
    expect(parsed(other).output.host_connection_string.value).toBe('postgres://admin:${replace(urlencode(var.postgres_password), "+", "%20")}@localhost:15433/shop');
  });
});

/**
 * The migration hook's trigger is a hash of migrations/: it changes with every new migration,
 * which is the point of it (hook-synth.spec.ts checks it), not a change of the stacks. The
 * snapshot holds a placeholder so that adding a migration does not break it.
 */
function normalized(stackJson: string): StackJson {
  const json = JSON.parse(stackJson);
  const hook = json.resource?.terraform_data?.migrations;
  if (hook) {
    expect(hook.triggers_replace.migrations_sha256).toMatch(/^[0-9a-f]{64}$/);
    hook.triggers_replace.migrations_sha256 = '<sha256 of migrations/>';
  }
  return json;
}

describe('synthesized JSON', () => {
  it('matches the reviewed snapshot (both stacks)', () => {
    const built = stacks();
    // Testing.synth already drops cdktf's "//" metadata (construct paths, cdktf version) and sorts
    // keys: what is left is exactly what Terraform acts on.
    expect(normalized(Testing.synth(built.data))).toMatchSnapshot('usualstore-data');
    expect(normalized(Testing.synth(built.database))).toMatchSnapshot('usualstore-database');
  });
});
