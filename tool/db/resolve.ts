/**
 * Which database a command talks to, and with which password: decided here, once per command
 * run, for every command that connects (migrate, status, backup, restore, copy, shell, review), so
 * that no two commands can disagree.
 *
 * The database: the option (--database-url, or --to for copy's target), else DATABASE_URL, else
 * the database this project deploys (the host, port, user and database of config/database.ts).
 *
 * The password, the first of: the URL's; PGPASSWORD (libpq's variable); USUALSTORE_PASSWORD_COMMAND
 * (a command that prints it: production reads the secret RDS keeps); and, for the deployed
 * database only, the deploy's own: terraform.tfvars' postgres_password, then
 * TF_VAR_postgres_password (the order the deploy uses); libpq's password file last (pgpass.ts).
 * The deploy's password is never sent to a server other than the one it deploys. An empty
 * variable counts as unset, as in libpq.
 */
import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../base/errors';
import { projectRoot } from '../base/project';
import { deployedUrl, isLoopback, isPublishedPort, loadConfig, type DatabaseConfig } from '../../config/database';
import { deployPasswordSetting } from '../../config/deploy-password';
import { PASSWORD_COMMAND_VARIABLE, passwordFromCommand } from './password-command';
import { passwordFromFile } from './pgpass';
import { DEPLOYED_ORIGIN, parseTarget, withPassword, type DatabaseTarget } from './target';

export interface DatabaseRequest {
  /** The option's value, when it was given. */
  url?: string;
  /** The option's name, for messages. @default '--database-url' */
  option?: string;
  /** Without the option: 'default' takes DATABASE_URL, else the deployed database; 'explicit' only
   * DATABASE_URL (a review reaches no database it was not given); 'none' nothing (copy --to). */
  fallback?: 'default' | 'explicit' | 'none';
  env?: NodeJS.ProcessEnv;
  /** Where terraform.tfvars is. @default the project root */
  projectDir?: string;
}

/** Whether `target` names the container's published port on this machine (then the client tools
 * may go through the container: operations/route.ts). */
export function pointsAtContainer(target: Pick<DatabaseTarget, 'host' | 'port'>, config: Pick<DatabaseConfig, 'hostPort'>): boolean {
  return isPublishedPort(target.host, target.port, config);
}

/**
 * Whether `target` is clearly a development database, for the commands that destroy or fill one
 * (reset, seed): on this machine (loopback or a Unix socket) and not named like production.
 * true, or what makes it unclear.
 */
export function isDevelopmentDatabase(target: Pick<DatabaseTarget, 'host' | 'database'>): true | string {
  if (!isLoopback(target.host) && !target.host.startsWith('/')) return `${target.host} is not this machine`;
  if (/prod|live/i.test(target.database)) return `its name, ${target.database}, says production`;
  return true;
}

/** Whether `target` is the database this project deploys, as its superuser: then the deploy's
 * password applies. */
export function isDeployedDatabase(
  target: Pick<DatabaseTarget, 'host' | 'port' | 'user'>,
  config: Pick<DatabaseConfig, 'hostPort' | 'user'>,
): boolean {
  return pointsAtContainer(target, config) && target.user === config.user;
}

const given = (value: string | undefined) => (value === undefined || value === '' ? undefined : value);

/** A CA file that is not there is named as such, before pg reports it as a missing socket. */
function checkCaFile(target: DatabaseTarget): void {
  const file = target.parameters.sslrootcert;
  if (file === undefined || file === 'system' || fs.existsSync(file)) return;
  throw new UserError(
    `the CA file ${file} (sslrootcert in ${target.origin}) does not exist${path.isAbsolute(file) ? '' : ` (relative to ${process.cwd()})`}; for Amazon RDS download the region's bundle (see the production docs)`,
  );
}

/** The target, with its password resolved; undefined only when `fallback` allows none. */
export function resolveDatabase(request: DatabaseRequest = {}): DatabaseTarget | undefined {
  const env = request.env ?? process.env;
  const fallback = request.fallback ?? 'default';
  const config = loadConfig(env);
  let raw: string;
  let origin: string;
  if (request.url !== undefined) [raw, origin] = [request.url, request.option ?? '--database-url'];
  else if (fallback !== 'none' && (env.DATABASE_URL ?? '').trim() !== '') [raw, origin] = [env.DATABASE_URL!, 'DATABASE_URL'];
  else if (fallback === 'default') [raw, origin] = [deployedUrl(config), DEPLOYED_ORIGIN];
  else return undefined;

  const target = parseTarget(raw, origin, env);
  checkCaFile(target);
  if (target.password !== undefined) return target;
  const pgpassword = given(env.PGPASSWORD);
  if (pgpassword !== undefined) return withPassword(target, pgpassword, 'PGPASSWORD');
  const command = given(env[PASSWORD_COMMAND_VARIABLE]);
  if (command !== undefined) return withPassword(target, passwordFromCommand(command), 'USUALSTORE_PASSWORD_COMMAND');
  if (isDeployedDatabase(target, config)) {
    const deploy = deployPasswordSetting(request.projectDir ?? projectRoot(), env);
    if (deploy?.value) return withPassword(target, deploy.value, deploy.source);
  }
  const fromFile = passwordFromFile(target, env);
  if (fromFile.password !== undefined)
    return { ...withPassword(target, fromFile.password, 'the password file'), passwordFile: { file: fromFile.file } };
  return { ...target, passwordFile: { file: fromFile.file, unused: fromFile.unused } };
}

/** For a command that always has a database (it falls back to the deployed one). */
export function resolveDefaultDatabase(request: Omit<DatabaseRequest, 'fallback'> = {}): DatabaseTarget {
  return resolveDatabase({ ...request, fallback: 'default' })!;
}
