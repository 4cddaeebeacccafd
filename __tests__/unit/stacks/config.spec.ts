/**
 * The typed configuration: the seed's defaults, and a clear ConfigError for every impossible
 * value (the usualstore-db command relies on the same file).
 */
import { ConfigError, defaultConfig, DOCKER_API, loadConfig, requiredDockerApi, resolveConfig } from '../../../config/database';

const DIGEST = 'a'.repeat(64);

function errorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('defaultConfig', () => {
  it("is the seed's setup", () => {
    expect(resolveConfig()).toEqual(defaultConfig);
    expect(defaultConfig).toMatchObject({
      image: 'postgres:15',
      containerName: 'usualstore-database',
      volumeName: 'usualstore_db_data',
      networkName: 'usualstore_network',
      networkAlias: 'database',
      user: 'postgres',
      database: 'usualstore',
      containerPort: 5432,
      hostPort: 5433,
      hostBindAddresses: ['127.0.0.1'],
      listenAddresses: '*',
      maxConnections: 200,
      dataPath: '/var/lib/postgresql/data',
      healthcheck: { intervalSeconds: 10, timeoutSeconds: 5, retries: 5, startPeriodSeconds: 10 },
      restartPolicy: 'unless-stopped',
    });
  });

  it('cannot be changed by accident at run time', () => {
    expect(Object.isFrozen(defaultConfig)).toBe(true);
    expect(Object.isFrozen(defaultConfig.healthcheck)).toBe(true);
  });
});

describe('resolveConfig', () => {
  it.each([
    ['hostPort 0', { hostPort: 0 }, 'hostPort must be an integer from 1 to 65535 (got 0)'],
    ['hostPort 65536', { hostPort: 65536 }, 'hostPort must be an integer from 1 to 65535 (got 65536)'],
    ['hostPort 5433.5', { hostPort: 5433.5 }, 'hostPort must be an integer'],
    ['containerPort -1', { containerPort: -1 }, 'containerPort must be an integer from 1 to 65535'],
    ['maxConnections 0', { maxConnections: 0 }, 'maxConnections must be an integer from 1 to 262143 (got 0)'],
    ['maxConnections NaN', { maxConnections: Number.NaN }, 'maxConnections must be an integer'],
    ['empty containerName', { containerName: '' }, 'containerName must be a non-empty Docker name'],
    ['empty volumeName', { volumeName: '' }, 'volumeName must be a non-empty Docker name'],
    ['empty networkName', { networkName: '' }, 'networkName must be a non-empty Docker name'],
    ['volumeName with a slash', { volumeName: 'a/b' }, 'volumeName must be a non-empty Docker name'],
    ['empty networkAlias', { networkAlias: '' }, 'networkAlias must be a non-empty host name'],
    ['empty user', { user: '' }, 'user must be a non-empty lower-case PostgreSQL name'],
    ['empty database', { database: '' }, 'database must be a non-empty lower-case PostgreSQL name'],
    ['database with a space', { database: 'usual store' }, 'database must be'],
    ['empty image', { image: '' }, 'image must be a Docker image reference'],
    ['upper-case image', { image: 'Postgres:15' }, 'image must be a Docker image reference'],
    ['short digest', { image: 'postgres:15@sha256:abc' }, 'image must be a Docker image reference'],
    ['digest without algorithm', { image: `postgres:15@${DIGEST}` }, 'image must be a Docker image reference'],
    ['image with a space', { image: 'postgres: 15' }, 'image must be a Docker image reference'],
    ['no bind address', { hostBindAddresses: [] }, 'hostBindAddresses must be a non-empty list of IP addresses'],
    ['a host name as bind address', { hostBindAddresses: ['localhost'] }, 'hostBindAddresses must be'],
    [
      'IPv6 before IPv4',
      { hostBindAddresses: ['::1', '127.0.0.1'] },
      'hostBindAddresses must list each address once, IPv4 addresses before IPv6',
    ],
    ['a bind address twice', { hostBindAddresses: ['127.0.0.1', '127.0.0.1'] }, 'hostBindAddresses must list each address once'],
    ['startInterval 0', { healthcheck: { startIntervalSeconds: 0 } }, 'healthcheck.startIntervalSeconds must be an integer from 1 to 3600'],
    ['relative dataPath', { dataPath: 'data' }, 'dataPath must be an absolute path'],
    ['retries 0', { healthcheck: { retries: 0 } }, 'healthcheck.retries must be an integer from 1 to 100'],
    ['interval 0', { healthcheck: { intervalSeconds: 0 } }, 'healthcheck.intervalSeconds must be'],
    ['waitTimeoutSeconds 0', { waitTimeoutSeconds: 0 }, 'waitTimeoutSeconds must be'],
    ['destroyGraceSeconds 0', { destroyGraceSeconds: 0 }, 'destroyGraceSeconds must be'],
    [
      'unknown restart policy',
      { restartPolicy: 'sometimes' as never },
      'restartPolicy must be one of no, on-failure, always, unless-stopped',
    ],
    ['bad label key', { containerLabels: { 'Com Usualstore': 'x' } }, 'containerLabels keys must be lower-case label names'],
  ])('rejects %s with a clear one-line message', (_name, overrides, expected) => {
    const error = errorOf(() => resolveConfig(overrides));
    expect(error.message).toContain(expected);
    expect(error.message).toMatch(/^invalid configuration: /);
    expect(error.message).not.toContain('\n');
  });

  it('names every impossible value at once', () => {
    const error = errorOf(() => resolveConfig({ hostPort: 70000, maxConnections: 0, containerName: '' }));
    expect(error.message).toContain('hostPort');
    expect(error.message).toContain('maxConnections');
    expect(error.message).toContain('containerName');
  });

  it.each([
    'postgres:15',
    'postgres',
    `postgres:15@sha256:${DIGEST}`,
    `postgres@sha256:${DIGEST}`,
    'docker.io/library/postgres:15.8-bookworm',
    `registry.example.com:5000/mirror/postgres:15@sha256:${DIGEST}`,
  ])('accepts the image reference %s', (image) => {
    expect(resolveConfig({ image }).image).toBe(image);
  });

  it('keeps the other healthcheck timings when one is overridden', () => {
    expect(resolveConfig({ healthcheck: { retries: 3 } }).healthcheck).toEqual({ ...defaultConfig.healthcheck, retries: 3 });
  });
});

describe('loadConfig', () => {
  it('is the defaults when no override is set', () => {
    expect(loadConfig({})).toEqual(defaultConfig);
  });

  it('takes the image, host port and max_connections from the environment', () => {
    const config = loadConfig({
      USUALSTORE_DB_IMAGE: `postgres:15@sha256:${DIGEST}`,
      USUALSTORE_DB_HOST_PORT: '15433',
      USUALSTORE_DB_MAX_CONNECTIONS: '300',
    });
    expect(config).toMatchObject({ image: `postgres:15@sha256:${DIGEST}`, hostPort: 15433, maxConnections: 300 });
  });

  it.each(['', 'abc', '54 33', '5433x', '-1', '1e3'])('rejects USUALSTORE_DB_HOST_PORT=%j', (value) => {
    expect(() => loadConfig({ USUALSTORE_DB_HOST_PORT: value })).toThrow(
      new ConfigError(`USUALSTORE_DB_HOST_PORT must be a whole number (got ${JSON.stringify(value)})`),
    );
  });

  it('validates what the environment gives', () => {
    expect(() => loadConfig({ USUALSTORE_DB_HOST_PORT: '70000' })).toThrow(/hostPort must be an integer from 1 to 65535 \(got 70000\)/);
    expect(() => loadConfig({ USUALSTORE_DB_MAX_CONNECTIONS: '0' })).toThrow(
      /maxConnections must be an integer from 1 to 262143 \(got 0\)/,
    );
  });
});

describe('engine-dependent settings', () => {
  it('publishes on ::1 only with USUALSTORE_DB_PUBLISH_IPV6=1, after 127.0.0.1', () => {
    expect(loadConfig({ USUALSTORE_DB_PUBLISH_IPV6: '1' }).hostBindAddresses).toEqual(['127.0.0.1', '::1']);
    expect(loadConfig({ USUALSTORE_DB_PUBLISH_IPV6: '0' }).hostBindAddresses).toEqual(['127.0.0.1']);
    expect(() => loadConfig({ USUALSTORE_DB_PUBLISH_IPV6: 'yes' })).toThrow(
      new ConfigError('USUALSTORE_DB_PUBLISH_IPV6 must be 1 (publish on ::1 too) or 0 (got "yes")'),
    );
  });

  it('sets a healthcheck start interval only with USUALSTORE_DB_HEALTH_START_INTERVAL', () => {
    expect(loadConfig({}).healthcheck.startIntervalSeconds).toBeUndefined();
    expect(loadConfig({ USUALSTORE_DB_HEALTH_START_INTERVAL: '2' }).healthcheck).toEqual({
      ...defaultConfig.healthcheck,
      startIntervalSeconds: 2,
    });
    expect(() => loadConfig({ USUALSTORE_DB_HEALTH_START_INTERVAL: '1s' })).toThrow(
      /USUALSTORE_DB_HEALTH_START_INTERVAL must be a whole number/,
    );
  });

  it('needs Docker API 1.41 (Engine 20.10) by default, 1.44 for a start interval, 1.46 for IPv6 bindings', () => {
    expect(requiredDockerApi(defaultConfig).version).toBe(DOCKER_API.minimum);
    expect(DOCKER_API.minimum).toBe('1.41');
    expect(requiredDockerApi(loadConfig({ USUALSTORE_DB_HEALTH_START_INTERVAL: '1' }))).toEqual({
      version: '1.44',
      reason: expect.stringContaining('Docker Engine 25'),
    });
    expect(requiredDockerApi(loadConfig({ USUALSTORE_DB_PUBLISH_IPV6: '1' }))).toEqual({
      version: '1.46',
      reason: expect.stringContaining('Docker Engine 27'),
    });
  });
});
