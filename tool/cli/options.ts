/**
 * Option parsing for the commands: node:util parseArgs (no yargs: start-up time matters for
 * `migrate up`), with its errors turned into one-line messages, and the value checks the
 * commands share.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UserError } from '../base/errors';

type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

/** --database-url, for every command that connects (otherwise DATABASE_URL is used). */
export const DATABASE_URL_OPTION = { 'database-url': { type: 'string' } } as const satisfies OptionsConfig;

/** Parses `args` for `command` (named in messages); at most `maxPositionals` positionals. */
export function parseOptions<T extends OptionsConfig>(command: string, args: string[], options: T, maxPositionals = 0) {
  let parsed;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    const { code, message } = error as { code?: string; message: string };
    const option = /'(-[^']*)'/.exec(message)?.[1];
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') throw new UserError(`unknown option ${option ?? ''} for "${command}"; run usualstore-db --help`);
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      const name = (option ?? '').replace(/ <value>$/, '').split(',').pop()!.trim();
      if (/ambiguous/.test(message)) throw new UserError(`option ${name} of "${command}" has a value starting with "-"; write it as ${name}=VALUE`);
      throw new UserError(`option ${name} of "${command}" ${/argument missing/.test(message) ? 'needs a value' : 'takes no value'}`);
    }
    throw new UserError(`${command}: ${message.split('\n')[0]}`);
  }
  if (parsed.positionals.length > maxPositionals) {
    throw new UserError(`unexpected argument "${parsed.positionals[maxPositionals]}" for "${command}"; run usualstore-db --help`);
  }
  return parsed;
}

/** A duration option in seconds (fractions allowed), as milliseconds. */
export function parseSeconds(value: string | undefined, option: string, fallbackMs?: number): number | undefined {
  if (value === undefined) return fallbackMs;
  const seconds = Number(value);
  if (value.trim() === '' || !Number.isFinite(seconds) || seconds < 0 || seconds > 86400) {
    throw new UserError(`${option} takes a number of seconds between 0 and 86400 (got "${value}")`);
  }
  return Math.round(seconds * 1000);
}

/** A positive whole number option. */
export function parseCount(value: string, option: string): number {
  if (!/^[1-9]\d*$/.test(value.trim())) throw new UserError(`${option} takes a positive whole number (got "${value}")`);
  return Number(value);
}

/** --migrations-dir, for every command that reads the migrations (default: the package's own). */
export const MIGRATIONS_DIR_OPTION = { 'migrations-dir': { type: 'string' } } as const satisfies OptionsConfig;

/** The --migrations-dir value resolved against the working directory, or the default. */
export function migrationsDirFrom(value: string | undefined): string {
  if (value !== undefined) {
    if (value.trim() === '') throw new UserError('--migrations-dir is empty');
    return require('node:path').resolve(value);
  }
  return (require('../migrator/files') as typeof import('../migrator/files')).defaultMigrationsDir();
}
