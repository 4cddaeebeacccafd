/**
 * The synthesized container on a real Docker Engine 20.10, created through the Engine API the way
 * kreuzwerker/docker 3.6.2 creates it (resource_docker_container_funcs.go: Cmd, Env, Healthcheck
 * durations parsed to nanoseconds, StopTimeout, PortBindings, Binds, RestartPolicy), then read
 * back the way the provider reads it on every refresh (ports flattened in the engine's order,
 * durations printed by Go's time.Duration.String(), here through docker inspect's Go templates).
 * What reads back equal plans no change; what differs would replace or update the container on
 * every deploy. The provider itself cannot be downloaded here: the create body and the read are
 * this test's rendering of its source, the engine and the PostgreSQL 15 server are real.
 *
 * Two departures, both forced by the sandbox: the image is one built from local files
 * (support/docker-engine.ts: real PostgreSQL 15 and pg_isready, the official image's start-up
 * emulated), and the container joins usualstore_network at creation, because this engine runs
 * without a default bridge (the provider creates on "bridge", then moves it to the network).
 */
import { Testing } from 'cdktf';
import { addUsualstoreStacks } from '../../stacks/app';
import { loadConfig } from '../../config/database';
import { goDuration } from '../../stacks/constructs/postgres-container';
import {
  DockerEngine,
  dockerEngineUnavailable,
  importPostgresImage,
  postgresImageUnavailable,
  startDockerEngine,
  uploadArchive,
} from '../support/docker-engine';
import { skipUnless } from '../support/skip';
import { TEST_OUT } from '../support/checkout';

const unavailable = dockerEngineUnavailable();
const describeWithEngine = skipUnless(
  unavailable === undefined ? postgresImageUnavailable() : `no real Docker Engine: ${unavailable}`,
  'docker-engine',
  'the engine contract tests',
);

interface PortJson {
  internal: number;
  external: number;
  ip: string;
  protocol: string;
}
interface ContainerJson {
  name: string;
  command: string[];
  env: string[];
  labels: { label: string; value: string }[];
  ports: PortJson[];
  volumes: { volume_name: string; container_path: string }[];
  networks_advanced: { aliases: string[] }[];
  healthcheck: { test: string[]; interval: string; timeout: string; start_period: string; start_interval?: string; retries: number };
  upload: { file: string; source: string; source_hash: string; permissions: string }[];
  restart: string;
  stop_timeout: number;
  wait_timeout: number;
}

function synthesizedContainer(env: NodeJS.ProcessEnv = {}): ContainerJson {
  const app = Testing.app({ outdir: TEST_OUT });
  const { database } = addUsualstoreStacks(app, { config: loadConfig(env), allowVolumeDestroy: false });
  return JSON.parse(Testing.synth(database)).resource.docker_container.database as ContainerJson;
}

/** Go's time.ParseDuration for the forms goDuration writes ("1h2m3s"), in nanoseconds. */
function nanoseconds(text: string): number {
  const match = /^(?:(\d+)h)?(?:(\d+)m)?(\d+)s$/.exec(text);
  if (!match) throw new Error(`not a duration: ${text}`);
  const [, h = '0', m = '0', s] = match;
  return ((Number(h) * 60 + Number(m)) * 60 + Number(s)) * 1e9;
}

/** The Engine API body of the provider's ContainerCreate for this JSON. */
function createBody(container: ContainerJson, image: string, network: string) {
  const exposed = Object.fromEntries(container.ports.map((p) => [`${p.internal}/${p.protocol}`, {}]));
  const bindings: Record<string, { HostIp: string; HostPort: string }[]> = {};
  for (const p of container.ports) (bindings[`${p.internal}/${p.protocol}`] ??= []).push({ HostIp: p.ip, HostPort: String(p.external) });
  const hc = container.healthcheck;
  return {
    Image: image,
    Cmd: container.command,
    Env: container.env,
    Labels: Object.fromEntries(container.labels.map((l) => [l.label, l.value])),
    StopTimeout: container.stop_timeout,
    ExposedPorts: exposed,
    Healthcheck: {
      Test: hc.test,
      Interval: nanoseconds(hc.interval),
      Timeout: nanoseconds(hc.timeout),
      StartPeriod: nanoseconds(hc.start_period),
      ...(hc.start_interval ? { StartInterval: nanoseconds(hc.start_interval) } : {}),
      Retries: hc.retries,
    },
    HostConfig: {
      PortBindings: bindings,
      Binds: container.volumes.map((v) => `${v.volume_name}:${v.container_path}`),
      RestartPolicy: { Name: container.restart },
      NetworkMode: network,
    },
    NetworkingConfig: { EndpointsConfig: { [network]: { Aliases: container.networks_advanced[0].aliases } } },
  };
}

interface Inspect {
  Id: string;
  State: { Status: string; Health?: { Status: string } };
  Config: { Cmd: string[]; StopTimeout?: number; Healthcheck: { Test: string[]; Retries: number } };
  HostConfig: { RestartPolicy: { Name: string } };
  NetworkSettings: { Ports: Record<string, { HostIp: string; HostPort: string }[] | null> };
}

/** flattenContainerPorts: port keys sorted, each key's bindings in the order the engine gives. */
function portsAsRead(ports: Inspect['NetworkSettings']['Ports']): PortJson[] {
  const byPort = (a: string, b: string) => Number(a.split('/')[0]) - Number(b.split('/')[0]) || (a < b ? -1 : 1);
  return Object.keys(ports)
    .sort(byPort)
    .flatMap((key) =>
      (ports[key] ?? []).map((b) => ({
        internal: Number(key.split('/')[0]),
        external: Number(b.HostPort),
        ip: b.HostIp,
        protocol: key.split('/')[1],
      })),
    );
}

describeWithEngine('the container on a real Docker Engine 20.10, as the docker provider creates and reads it', () => {
  let engine: DockerEngine;
  let image: string;
  const NETWORK = 'usualstore_network';

  beforeAll(async () => {
    engine = await startDockerEngine();
    image = importPostgresImage(engine);
    await engine.api('POST', '/networks/create', { Name: NETWORK, Driver: 'bridge' });
  }, 90000);

  afterAll(async () => {
    await engine?.stop();
  });

  /** ContainerCreate, then each upload as the provider sends it (its `source` read from disk,
   * one archive PUT at /), before anything starts the container. */
  const create = async (container: ContainerJson, name: string, password = 'a-password'): Promise<string> => {
    const created = await engine.api<{ Id: string }>('POST', `/containers/create?name=${name}`, createBody(container, image, NETWORK));
    for (const upload of container.upload) {
      // `source` is relative to the stack's directory; the preflight's file holds `password`.
      expect(upload.source).toBe('../../../.secrets/postgres-password');
      const archive = uploadArchive(upload.file, Buffer.from(password), parseInt(upload.permissions, 8));
      await engine.api('PUT', `/containers/${created.Id}/archive?path=/`, archive);
    }
    return created.Id;
  };
  const inspect = (id: string) => engine.api<Inspect>('GET', `/containers/${id}/json`);
  /** Start, then as wait = true makes the provider do: poll the health status every second until wait_timeout. */
  const startHealthy = async (id: string, waitTimeout: number): Promise<Inspect> => {
    await engine.api('POST', `/containers/${id}/start`);
    let state = await inspect(id);
    for (let i = 0; i < waitTimeout && state.State.Health?.Status !== 'healthy'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      state = await inspect(id);
    }
    return state;
  };
  /** Durations as the provider sets them in its state: Go's Duration.String(). */
  const durationsAsRead = (id: string) => {
    const [interval, timeout, startPeriod, startInterval] = engine
      .docker([
        'inspect',
        '--format',
        '{{.Config.Healthcheck.Interval}} {{.Config.Healthcheck.Timeout}} {{.Config.Healthcheck.StartPeriod}} {{.Config.Healthcheck.StartInterval}}',
        id,
      ])
      .trim()
      .split(' ');
    return { interval, timeout, start_period: startPeriod, start_interval: startInterval };
  };

  it('starts, becomes healthy through its own pg_isready, and reads back as configured (no change to plan)', async () => {
    const container = synthesizedContainer();
    const id = await create(container, container.name);
    const state = await startHealthy(id, container.wait_timeout);
    expect(state.State.Health?.Status).toBe('healthy');

    expect(portsAsRead(state.NetworkSettings.Ports)).toEqual(container.ports);
    // start_interval is not set: the provider's default "0s" is what reads back.
    expect(durationsAsRead(id)).toEqual({
      interval: container.healthcheck.interval,
      timeout: container.healthcheck.timeout,
      start_period: container.healthcheck.start_period,
      start_interval: '0s',
    });
    expect(state.Config.Healthcheck).toMatchObject({ Test: container.healthcheck.test, Retries: container.healthcheck.retries });
    expect(state.Config.Cmd).toEqual(container.command);
    expect(state.Config.StopTimeout).toBe(container.stop_timeout);
    expect(state.HostConfig.RestartPolicy.Name).toBe(container.restart);
  }, 120000);

  it('stopped, reads back without its published ports: ports forces replacement, so a deploy replaces a stopped container', async () => {
    const container = synthesizedContainer();
    container.volumes = container.volumes.map((v) => ({ ...v, volume_name: 'usualstore_stopped_data' }));
    // Another host port: the first test's container still publishes the configured one.
    container.ports = container.ports.map((p) => ({ ...p, external: p.external + 1000 }));
    const id = await create(container, 'usualstore-stopped');
    expect((await startHealthy(id, container.wait_timeout)).State.Health?.Status).toBe('healthy');
    expect(portsAsRead((await inspect(id)).NetworkSettings.Ports)).toEqual(container.ports);
    await engine.api('POST', `/containers/${id}/stop?t=30`);
    const stopped = await inspect(id);
    expect(stopped.State.Status).toBe('exited');
    // What the provider's refresh sets (must_run = false keeps it from deleting the container):
    // no ports, against the configuration's one; `ports` is ForceNew (resource_docker_container.go).
    expect(portsAsRead(stopped.NetworkSettings.Ports)).toEqual([]);
    await engine.api('DELETE', `/containers/${id}?force=true`);
  }, 120000);

  it('initializes PostgreSQL with the uploaded password file (root-owned, 0400), refuses another, and shows no password in docker inspect', async () => {
    const container = synthesizedContainer();
    container.ports = [];
    // A volume of its own: the image applies the password only when it creates the database.
    container.volumes = container.volumes.map((v) => ({ ...v, volume_name: 'usualstore_password_file_data' }));
    const password = `uploaded ${Date.now().toString(36)} p@ss`;
    const id = await create(container, 'usualstore-password-file', password);
    const state = await startHealthy(id, container.wait_timeout);
    expect(state.State.Health?.Status).toBe('healthy');
    // Over TCP inside the container, where the server asks for the password (scram-sha-256).
    const psql = (pw: string) => {
      try {
        return engine
          .docker([
            'exec',
            '-e',
            `PGPASSWORD=${pw}`,
            id,
            'psql',
            '-w',
            '-h',
            '127.0.0.1',
            '-U',
            'postgres',
            '-d',
            'usualstore',
            '-Atc',
            'select 42',
          ])
          .trim();
      } catch (error) {
        return String((error as { stderr?: string }).stderr ?? error);
      }
    };
    expect(psql(password)).toBe('42');
    expect(psql('another-password')).toMatch(/password authentication failed for user "postgres"/);
    expect(engine.docker(['exec', id, 'stat', '-c', '%a %u %g', container.upload[0].file]).trim()).toBe('400 0 0');
    const inspected = engine.docker(['inspect', id]);
    expect(inspected).toContain('POSTGRES_PASSWORD_FILE=/run/secrets/postgres-password');
    expect(inspected).not.toContain(password);
  }, 120000);

  it('reads two bindings (127.0.0.1 and ::1) back in another order below Engine 27: why IPv6 is an opt-in the preflight refuses there', async () => {
    const container = synthesizedContainer({ USUALSTORE_DB_PUBLISH_IPV6: '1', USUALSTORE_DB_HOST_PORT: '5434' });
    expect(container.ports.map((p) => p.ip)).toEqual(['127.0.0.1', '::1']);
    const id = await create(container, 'usualstore-ipv6');
    await engine.api('POST', `/containers/${id}/start`);
    const read = portsAsRead((await inspect(id)).NetworkSettings.Ports);
    expect(read).toHaveLength(2);
    expect(read).not.toEqual(container.ports);
    expect(read.map((p) => p.ip)).toEqual(['::1', '127.0.0.1']);
  }, 60000);

  // Interval, timeout and start period (start_interval is not part of API 1.41: it reads "0s").
  it.each([[[1, 59, 60]], [[61, 90, 599]], [[3540, 3599, 3600]]])(
    'writes healthcheck durations of %j seconds exactly as Go prints them back',
    async (seconds) => {
      const [interval, timeout, startPeriod] = seconds.map(goDuration);
      const container = synthesizedContainer();
      container.healthcheck = { ...container.healthcheck, interval, timeout, start_period: startPeriod };
      container.ports = [];
      const id = await create(container, `usualstore-durations-${seconds[0]}`);
      expect(durationsAsRead(id)).toEqual({ interval, timeout, start_period: startPeriod, start_interval: '0s' });
    },
  );
});
