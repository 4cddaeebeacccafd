/**
 * Where Terraform keeps each stack's state, one decision for both apps (the local stacks and
 * production/), read from the environment at synth:
 * - local files at the project root (the default: terraform.<stack>.tfstate, git-ignored);
 * - a PostgreSQL a team shares (Terraform's `pg` backend, built in: one schema per stack, its own
 *   lock), USUALSTORE_STATE_PG_URL=postgres://HOST[:PORT]/DATABASE[?sslmode=…]; the credentials
 *   come from PGUSER and PGPASSWORD when Terraform runs, never from the URL, which is written
 *   into cdktf.out; refused when it is the database this project deploys (its stack's state
 *   would live inside what a destroy removes);
 * - S3 (production), USUALSTORE_STATE_S3_BUCKET and USUALSTORE_STATE_S3_REGION, the key
 *   <USUALSTORE_STATE_S3_PREFIX, default usualstore/><stack>.tfstate, locked by a lock file in
 *   the bucket (use_lockfile), encrypted.
 * Plain TypeScript (no cdktf): stacks/state-backend.ts turns it into the backend block, and the
 * deploy's checks (tool/deploy/checks.ts) read a stack's state through it.
 */
import { ConfigError, isPublishedPort, type DatabaseConfig } from './database';

export const STATE_PG_URL_VARIABLE = 'USUALSTORE_STATE_PG_URL';
export const STATE_S3_BUCKET_VARIABLE = 'USUALSTORE_STATE_S3_BUCKET';
export const STATE_S3_REGION_VARIABLE = 'USUALSTORE_STATE_S3_REGION';
export const STATE_S3_PREFIX_VARIABLE = 'USUALSTORE_STATE_S3_PREFIX';

export type StateBackend =
  | { readonly kind: 'local' }
  /** connStr: without credentials (PGUSER, PGPASSWORD). */
  | { readonly kind: 'pg'; readonly connStr: string }
  | { readonly kind: 's3'; readonly bucket: string; readonly region: string; readonly prefix: string };

/** The local state file of `stack`, at the project root (terraform.<stack>.tfstate). */
export function localStateFile(stack: string): string {
  return `terraform.${stack}.tfstate`;
}

/** Whether a file at the project root is a local state file or Terraform's backup of one. */
export function isLocalStateFile(name: string): boolean {
  return /^terraform\..+\.tfstate(\.backup)?$/.test(name);
}

/** The schema the pg backend keeps `stack`'s state in (its table `states`). */
export function stateSchema(stack: string): string {
  return `terraform_${stack.replace(/[^a-z0-9]+/gi, '_').toLowerCase()}`;
}

/** The S3 object key of `stack`'s state. */
export function stateKey(backend: { prefix: string }, stack: string): string {
  return `${backend.prefix}${stack}.tfstate`;
}

function pgBackend(raw: string, config: Pick<DatabaseConfig, 'hostPort'>): StateBackend {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new ConfigError(`${STATE_PG_URL_VARIABLE} is not a URL; expected postgres://HOST[:PORT]/DATABASE`);
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:')
    throw new ConfigError(`${STATE_PG_URL_VARIABLE} must start with postgres:// (expected postgres://HOST[:PORT]/DATABASE)`);
  if (url.username || url.password)
    throw new ConfigError(
      `${STATE_PG_URL_VARIABLE} must not hold a user or password: it is written into cdktf.out; Terraform's pg backend takes them from PGUSER and PGPASSWORD`,
    );
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!host || !database || database.includes('/'))
    throw new ConfigError(`${STATE_PG_URL_VARIABLE} must name a host and one database: postgres://HOST[:PORT]/DATABASE`);
  if (isPublishedPort(host, url.port ? Number(url.port) : 5432, config))
    throw new ConfigError(
      `${STATE_PG_URL_VARIABLE} points at the database this project deploys (${host}:${config.hostPort}): the state of the stacks that create it cannot live inside it (a destroy or a wipe would take it along); use another PostgreSQL`,
    );
  return { kind: 'pg', connStr: url.toString() };
}

export function loadStateBackend(env: NodeJS.ProcessEnv, config: Pick<DatabaseConfig, 'hostPort'>): StateBackend {
  const pg = env[STATE_PG_URL_VARIABLE]?.trim();
  const bucket = env[STATE_S3_BUCKET_VARIABLE]?.trim();
  if (pg && bucket) throw new ConfigError(`set ${STATE_PG_URL_VARIABLE} or ${STATE_S3_BUCKET_VARIABLE}, not both: the state has one home`);
  if (pg) return pgBackend(pg, config);
  if (bucket) {
    const region = env[STATE_S3_REGION_VARIABLE]?.trim();
    if (!region)
      throw new ConfigError(`${STATE_S3_BUCKET_VARIABLE} needs ${STATE_S3_REGION_VARIABLE}, the bucket's region (e.g. eu-west-1)`);
    if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket))
      throw new ConfigError(`${STATE_S3_BUCKET_VARIABLE} is not an S3 bucket name (got ${JSON.stringify(bucket)})`);
    const prefix = env[STATE_S3_PREFIX_VARIABLE] ?? 'usualstore/';
    if (prefix.startsWith('/')) throw new ConfigError(`${STATE_S3_PREFIX_VARIABLE} must not start with / (S3 keys are relative)`);
    return { kind: 's3', bucket, region, prefix };
  }
  return { kind: 'local' };
}
