/**
 * The one typed configuration of UsualStore's PostgreSQL: every name, port and setting the stacks
 * declare. Plain TypeScript on purpose (no cdktf import): the usualstore-db command is compiled
 * with this file and reads the container name, host port, user and database from it, so the
 * stacks and the command can never disagree.
 */
import { isIP } from 'node:net';
import { UserError } from '../tool/base/errors';

/** Seconds, as whole numbers: Docker and Terraform both take them. */
export interface HealthcheckTiming {
  readonly intervalSeconds: number;
  readonly timeoutSeconds: number;
  readonly retries: number;
  readonly startPeriodSeconds: number;
  /**
   * Interval of the checks during the start period. Needs Docker API 1.44 (Engine >= 25): the
   * docker provider refuses to create the container on an older engine, so it is an opt-in
   * (USUALSTORE_DB_HEALTH_START_INTERVAL) that the deploy's checks compare with the engine.
   * @default undefined (not set: checks run every intervalSeconds from the start)
   */
  readonly startIntervalSeconds?: number;
}

/** terraform.tfvars.example's password: refused by the deploy's checks (and so by the stacks' preconditions). */
export const PASSWORD_PLACEHOLDER = 'CHANGE-ME';

/** Docker's restart policies (`docker run --restart`). */
export type RestartPolicy = 'no' | 'on-failure' | 'always' | 'unless-stopped';

export type Labels = Readonly<Record<string, string>>;

export interface DatabaseConfig {
  /** Docker image reference: `postgres:15`, or digest-pinned `postgres:15@sha256:<64 hex>`. */
  readonly image: string;
  readonly containerName: string;
  readonly volumeName: string;
  readonly networkName: string;
  /** DNS name of the database for containers on the network (the seed's `database`). */
  readonly networkAlias: string;
  readonly user: string;
  readonly database: string;
  /** Port PostgreSQL listens on inside the container (the image's 5432). */
  readonly containerPort: number;
  /** Port published on the host (the seed's 5433). */
  readonly hostPort: number;
  /**
   * Host addresses the published port binds to, IPv4 before IPv6: the order in which Docker
   * Engine >= 27 reads the bindings back (the provider compares the list in order, and any
   * difference replaces the container). IPv6 loopback is an opt-in (USUALSTORE_DB_PUBLISH_IPV6=1).
   * @default ['127.0.0.1']
   */
  readonly hostBindAddresses: readonly string[];
  readonly listenAddresses: string;
  readonly maxConnections: number;
  /** Where the volume is mounted: the postgres image's PGDATA. */
  readonly dataPath: string;
  readonly healthcheck: HealthcheckTiming;
  /** How long Terraform waits for the container to report healthy after creating it. */
  readonly waitTimeoutSeconds: number;
  /**
   * How long PostgreSQL gets to shut down cleanly before it is killed: when Terraform deletes the
   * container (destroy_grace_seconds) and when Docker itself stops it (stop_timeout: `docker
   * stop`, daemon shutdown, quitting Docker Desktop, which otherwise allow 10 s).
   */
  readonly destroyGraceSeconds: number;
  readonly restartPolicy: RestartPolicy;
  readonly containerLabels: Labels;
  readonly volumeLabels: Labels;
  readonly networkLabels: Labels;
}

/** The seed's setup (../shared/SEED.md), value for value. */
export const defaultConfig: DatabaseConfig = Object.freeze({
  image: 'postgres:15',
  containerName: 'usualstore-database',
  volumeName: 'usualstore_db_data',
  networkName: 'usualstore_network',
  networkAlias: 'database',
  user: 'postgres',
  database: 'usualstore',
  containerPort: 5432,
  hostPort: 5433,
  hostBindAddresses: Object.freeze(['127.0.0.1']),
  listenAddresses: '*',
  maxConnections: 200,
  dataPath: '/var/lib/postgresql/data',
  // The seed's timing. No start_interval by default: it needs Engine >= 25 (see
  // HealthcheckTiming); without it the deploy waits up to one interval (10 s) for "healthy".
  healthcheck: Object.freeze({ intervalSeconds: 10, timeoutSeconds: 5, retries: 5, startPeriodSeconds: 10 }),
  // initdb of a fresh volume plus the first healthy check takes a few seconds;
  // two minutes leaves room for a slow disk without hanging a deploy for ever.
  waitTimeoutSeconds: 120,
  // PostgreSQL's fast shutdown checkpoints first; killing it mid-checkpoint means crash recovery
  // on the next start, so give it a minute.
  destroyGraceSeconds: 60,
  restartPolicy: 'unless-stopped',
  containerLabels: Object.freeze({ 'com.usualstore.service': 'database', 'com.usualstore.tier': 'data' }),
  volumeLabels: Object.freeze({ 'com.usualstore.volume': 'database' }),
  networkLabels: Object.freeze({ 'com.usualstore.network': 'application' }),
});

export type ConfigOverrides = Partial<Omit<DatabaseConfig, 'healthcheck'>> & {
  readonly healthcheck?: Partial<HealthcheckTiming>;
};

/** An impossible configuration value: one line and exit 1, at synth (main.ts) as in the command. */
export class ConfigError extends UserError {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

// Docker's own grammar for container/volume/network names.
const DOCKER_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;
// A PostgreSQL identifier that needs no quoting and no percent-encoding in a URL.
const PG_IDENTIFIER = /^[a-z_][a-z0-9_$]{0,62}$/;
// Docker image reference grammar (distribution/reference), sha256 digests only.
const IMAGE_DOMAIN = String.raw`(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?/)?`;
const IMAGE_PATH = String.raw`[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*`;
const IMAGE_REFERENCE = new RegExp(`^${IMAGE_DOMAIN}${IMAGE_PATH}(?::[\\w][\\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$`);
const ABSOLUTE_POSIX_PATH = /^\/[^\0]*$/;

const RESTART_POLICIES: readonly RestartPolicy[] = ['no', 'on-failure', 'always', 'unless-stopped'];

type Check = [ok: boolean, problem: string];

function labelChecks(field: string, labels: Labels): Check[] {
  return Object.entries(labels).map(([key, value]): Check => [
    /^[a-z0-9][a-z0-9.-]*$/.test(key) && typeof value === 'string',
    `${field} keys must be lower-case label names such as com.usualstore.tier (got ${shown(key)})`,
  ]);
}

function integerIn(value: number, min: number, max: number): boolean {
  return Number.isInteger(value) && value >= min && value <= max;
}

function shown(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

function isIpv4First(addresses: readonly string[]): boolean {
  const families = addresses.map((a) => isIP(a));
  return new Set(addresses).size === addresses.length && families.every((family, i) => i === 0 || families[i - 1] <= family);
}

function problems(c: DatabaseConfig): string[] {
  const checks: Check[] = [
    [
      IMAGE_REFERENCE.test(c.image),
      `image must be a Docker image reference such as postgres:15 or postgres:15@sha256:<64 hex digits> (got ${shown(c.image)})`,
    ],
    [
      DOCKER_NAME.test(c.containerName),
      `containerName must be a non-empty Docker name ([a-zA-Z0-9][a-zA-Z0-9_.-]*) (got ${shown(c.containerName)})`,
    ],
    [
      DOCKER_NAME.test(c.volumeName),
      `volumeName must be a non-empty Docker name ([a-zA-Z0-9][a-zA-Z0-9_.-]*) (got ${shown(c.volumeName)})`,
    ],
    [
      DOCKER_NAME.test(c.networkName),
      `networkName must be a non-empty Docker name ([a-zA-Z0-9][a-zA-Z0-9_.-]*) (got ${shown(c.networkName)})`,
    ],
    [
      /^[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?$/.test(c.networkAlias),
      `networkAlias must be a non-empty host name (got ${shown(c.networkAlias)})`,
    ],
    [
      PG_IDENTIFIER.test(c.user),
      `user must be a non-empty lower-case PostgreSQL name ([a-z_][a-z0-9_$]*, at most 63 characters) (got ${shown(c.user)})`,
    ],
    [
      PG_IDENTIFIER.test(c.database),
      `database must be a non-empty lower-case PostgreSQL name ([a-z_][a-z0-9_$]*, at most 63 characters) (got ${shown(c.database)})`,
    ],
    [integerIn(c.containerPort, 1, 65535), `containerPort must be an integer from 1 to 65535 (got ${shown(c.containerPort)})`],
    [integerIn(c.hostPort, 1, 65535), `hostPort must be an integer from 1 to 65535 (got ${shown(c.hostPort)})`],
    [
      Array.isArray(c.hostBindAddresses) && c.hostBindAddresses.length > 0 && c.hostBindAddresses.every((a) => isIP(a) !== 0),
      `hostBindAddresses must be a non-empty list of IP addresses (got ${shown(c.hostBindAddresses)})`,
    ],
    [
      !Array.isArray(c.hostBindAddresses) || isIpv4First(c.hostBindAddresses),
      `hostBindAddresses must list each address once, IPv4 addresses before IPv6 (the order Docker reads them back in) (got ${shown(c.hostBindAddresses)})`,
    ],
    [/^[^\s]+$/.test(c.listenAddresses), `listenAddresses must be non-empty without spaces, e.g. * (got ${shown(c.listenAddresses)})`],
    // 262143 is PostgreSQL's own upper limit for max_connections.
    [integerIn(c.maxConnections, 1, 262143), `maxConnections must be an integer from 1 to 262143 (got ${shown(c.maxConnections)})`],
    [ABSOLUTE_POSIX_PATH.test(c.dataPath), `dataPath must be an absolute path inside the container (got ${shown(c.dataPath)})`],
    [
      integerIn(c.healthcheck.intervalSeconds, 1, 3600),
      `healthcheck.intervalSeconds must be an integer from 1 to 3600 (got ${shown(c.healthcheck.intervalSeconds)})`,
    ],
    [
      integerIn(c.healthcheck.timeoutSeconds, 1, 3600),
      `healthcheck.timeoutSeconds must be an integer from 1 to 3600 (got ${shown(c.healthcheck.timeoutSeconds)})`,
    ],
    [
      integerIn(c.healthcheck.retries, 1, 100),
      `healthcheck.retries must be an integer from 1 to 100 (got ${shown(c.healthcheck.retries)})`,
    ],
    [
      integerIn(c.healthcheck.startPeriodSeconds, 0, 3600),
      `healthcheck.startPeriodSeconds must be an integer from 0 to 3600 (got ${shown(c.healthcheck.startPeriodSeconds)})`,
    ],
    [
      c.healthcheck.startIntervalSeconds === undefined || integerIn(c.healthcheck.startIntervalSeconds, 1, 3600),
      `healthcheck.startIntervalSeconds must be an integer from 1 to 3600 (got ${shown(c.healthcheck.startIntervalSeconds)})`,
    ],
    [integerIn(c.waitTimeoutSeconds, 1, 3600), `waitTimeoutSeconds must be an integer from 1 to 3600 (got ${shown(c.waitTimeoutSeconds)})`],
    [
      integerIn(c.destroyGraceSeconds, 1, 3600),
      `destroyGraceSeconds must be an integer from 1 to 3600 (got ${shown(c.destroyGraceSeconds)})`,
    ],
    [
      RESTART_POLICIES.includes(c.restartPolicy),
      `restartPolicy must be one of ${RESTART_POLICIES.join(', ')} (got ${shown(c.restartPolicy)})`,
    ],
    ...labelChecks('containerLabels', c.containerLabels),
    ...labelChecks('volumeLabels', c.volumeLabels),
    ...labelChecks('networkLabels', c.networkLabels),
  ];
  return checks.filter(([ok]) => !ok).map(([, problem]) => problem);
}

/** The defaults with `overrides` applied, validated: throws ConfigError naming every bad value. */
export function resolveConfig(overrides: ConfigOverrides = {}): DatabaseConfig {
  const config: DatabaseConfig = {
    ...defaultConfig,
    ...overrides,
    healthcheck: { ...defaultConfig.healthcheck, ...overrides.healthcheck },
  };
  const found = problems(config);
  if (found.length > 0) throw new ConfigError(`invalid configuration: ${found.join('; ')}`);
  return config;
}

/** Number('') is 0 and Number(' 5 ') is 5: accept digits only, so a typo is an error, not a port. */
function wholeNumber(name: string, raw: string): number {
  if (!/^[0-9]+$/.test(raw.trim())) throw new ConfigError(`${name} must be a whole number (got ${shown(raw)})`);
  return Number(raw.trim());
}

/**
 * Deploy-time overrides a user may need on one machine without editing code: another image (a
 * digest pin, a mirror), another host port (5433 taken), another max_connections, and the two
 * settings that depend on the machine's Docker Engine (see DOCKER_API): USUALSTORE_DB_IMAGE,
 * _HOST_PORT, _MAX_CONNECTIONS, _PUBLISH_IPV6, _HEALTH_START_INTERVAL. Everything else is changed
 * in defaultConfig, in review.
 */
function environmentOverrides(env: NodeJS.ProcessEnv): ConfigOverrides {
  const overrides: { -readonly [K in keyof ConfigOverrides]: ConfigOverrides[K] } = {};
  const image = env.USUALSTORE_DB_IMAGE;
  if (image !== undefined) overrides.image = image;
  if (env.USUALSTORE_DB_HOST_PORT !== undefined) overrides.hostPort = wholeNumber('USUALSTORE_DB_HOST_PORT', env.USUALSTORE_DB_HOST_PORT);
  if (env.USUALSTORE_DB_MAX_CONNECTIONS !== undefined) {
    overrides.maxConnections = wholeNumber('USUALSTORE_DB_MAX_CONNECTIONS', env.USUALSTORE_DB_MAX_CONNECTIONS);
  }
  const ipv6 = env.USUALSTORE_DB_PUBLISH_IPV6;
  if (ipv6 !== undefined && ipv6 !== '' && ipv6 !== '0') {
    if (ipv6 !== '1') throw new ConfigError(`USUALSTORE_DB_PUBLISH_IPV6 must be 1 (publish on ::1 too) or 0 (got ${shown(ipv6)})`);
    overrides.hostBindAddresses = [...defaultConfig.hostBindAddresses, '::1'];
  }
  const startInterval = env.USUALSTORE_DB_HEALTH_START_INTERVAL;
  if (startInterval !== undefined && startInterval !== '') {
    overrides.healthcheck = { startIntervalSeconds: wholeNumber('USUALSTORE_DB_HEALTH_START_INTERVAL', startInterval) };
  }
  return overrides;
}

/**
 * Docker Engine API versions the stack needs (the deploy's checks compare them with the
 * engine's). 1.41 is Docker Engine 20.10, the oldest engine this project is tested against.
 * A healthcheck start_interval needs 1.44 (Engine 25): the provider's Docker client refuses
 * it on older engines. IPv6 bindings read back in a stable IPv4-first order only from Engine 27
 * (API 1.46); on older engines the container would be replaced by every deploy.
 */
export const DOCKER_API = { minimum: '1.41', startInterval: '1.44', ipv6Binding: '1.46' } as const;

/** The lowest Docker Engine API version that can run `config` without churn, and why. */
export function requiredDockerApi(config: DatabaseConfig): { version: string; reason: string } {
  if (config.hostBindAddresses.some((a) => isIP(a) === 6)) {
    return {
      version: DOCKER_API.ipv6Binding,
      reason: 'publishing on an IPv6 address (USUALSTORE_DB_PUBLISH_IPV6) needs Docker Engine 27 or later',
    };
  }
  if (config.healthcheck.startIntervalSeconds !== undefined) {
    return {
      version: DOCKER_API.startInterval,
      reason: 'a healthcheck start interval (USUALSTORE_DB_HEALTH_START_INTERVAL) needs Docker Engine 25 or later',
    };
  }
  return { version: DOCKER_API.minimum, reason: 'this project needs Docker Engine 20.10 or later' };
}

/** postgres://user@host:port/database: no password (it is never in a URL this project writes). */
export function databaseUrl(parts: { user: string; host: string; port: number; database: string }): string {
  const host = parts.host.includes(':') ? `[${parts.host}]` : parts.host;
  return `postgres://${encodeURIComponent(parts.user)}@${host}:${parts.port}/${encodeURIComponent(parts.database)}`;
}

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|::1|\[::1\])$/i;

/** Whether `host` is this machine (a loopback name or address). */
export function isLoopback(host: string): boolean {
  return LOOPBACK.test(host);
}

/** Whether host:port is the container's published port on this machine: the deployed database. */
export function isPublishedPort(host: string, port: number, config: Pick<DatabaseConfig, 'hostPort'>): boolean {
  return isLoopback(host) && port === config.hostPort;
}

/** The deployed database as this machine reaches it: the container's first published address. */
export function deployedUrl(config: DatabaseConfig): string {
  return databaseUrl({ user: config.user, host: config.hostBindAddresses[0], port: config.hostPort, database: config.database });
}

/** The configuration the stacks and the usualstore-db command both use: defaults + environment. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): DatabaseConfig {
  return resolveConfig(environmentOverrides(env));
}
