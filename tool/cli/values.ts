/**
 * Turning a command's option values into what the operations take: durations, counts, the
 * migrations directory, the database. Each refusal is one line naming the option.
 */
import path from 'node:path';
import { UserError } from '../base/errors';
import { deployedTarget } from '../db/deployed';
import { PASSWORD_COMMAND_VARIABLE, passwordFromCommand } from '../db/password-command';
import { resolveTarget, type DatabaseTarget } from '../db/target';
import { defaultMigrationsDir, projectRoot } from '../migrator/files';
import { warn } from './output';
import type { CommandInput } from './command';

export function stringValue(input: CommandInput, option: string): string | undefined {
  const value = input.values[option];
  return typeof value === 'string' ? value : undefined;
}

export function flag(input: CommandInput, option: string): boolean {
  return input.values[option] === true;
}

/** A duration option in seconds (fractions allowed), as milliseconds. */
export function seconds(input: CommandInput, option: string, fallbackMs: number): number;
export function seconds(input: CommandInput, option: string): number | undefined;
export function seconds(input: CommandInput, option: string, fallbackMs?: number): number | undefined {
  const value = stringValue(input, option);
  if (value === undefined) return fallbackMs;
  const number = Number(value);
  if (value.trim() === '' || !Number.isFinite(number) || number < 0 || number > 86400) {
    throw new UserError(`--${option} takes a number of seconds between 0 and 86400 (got "${value}")`);
  }
  return Math.round(number * 1000);
}

/** A positive whole number option. */
export function count(value: string, option: string): number {
  if (!/^[1-9]\d*$/.test(value.trim())) throw new UserError(`--${option} takes a positive whole number (got "${value}")`);
  return Number(value);
}

/** --migrations-dir resolved against the working directory, or this project's migrations/. */
export function migrationsDir(input: CommandInput): string {
  const value = stringValue(input, 'migrations-dir');
  if (value === undefined) return defaultMigrationsDir();
  if (value.trim() === '') throw new UserError('--migrations-dir is empty');
  return path.resolve(value);
}

/**
 * The database: --database-url, else DATABASE_URL, else the deployed one (said on stderr, so
 * that nobody wonders which database a command touched).
 */
export function target(input: CommandInput, env: NodeJS.ProcessEnv = process.env): DatabaseTarget {
  const given = stringValue(input, 'database-url');
  if (given !== undefined || (env.DATABASE_URL ?? '').trim() !== '') {
    const named = resolveTarget({ databaseUrl: given, env });
    const command = env[PASSWORD_COMMAND_VARIABLE];
    if (named.password !== undefined || env.PGPASSWORD !== undefined || !command) return named;
    // The password fetched where it is used (production: the secret RDS keeps).
    const url = new URL(named.connectionString);
    url.password = encodeURIComponent(passwordFromCommand(command));
    return resolveTarget({ databaseUrl: url.toString(), env });
  }
  const deployed = deployedTarget(projectRoot(), env);
  warn(`no --database-url or DATABASE_URL: using the deployed database ${deployed.target.label} (password: ${deployed.passwordSource})`);
  return deployed.target;
}
