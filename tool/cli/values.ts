/**
 * What handlers read from their input: the option values the parser checked and defaulted from the
 * table (parse.ts), the migrations directory, the database main resolved. Nothing here decides a
 * default: the table does.
 */
import type { DatabaseTarget } from '../db';
import { MigrationsDirectory } from '../migrator/directory';
import type { CommandInput } from './command';

export function text(input: CommandInput, option: string): string | undefined {
  const value = input.values[option];
  return typeof value === 'string' ? value : undefined;
}

export function flag(input: CommandInput, option: string): boolean {
  return input.values[option] === true;
}

/** A 'seconds' or 'count' option's value (milliseconds, or the count); undefined when not given
 * and the table has no default. */
export function numberOf(input: CommandInput, option: string): number | undefined {
  const value = input.values[option];
  return typeof value === 'number' ? value : undefined;
}

/** An option the table gives a default: always there. */
export function ms(input: CommandInput, option: string): number {
  const value = numberOf(input, option);
  if (value === undefined) throw new Error(`--${option} has no default in the command table`);
  return value;
}

/** --migrations-dir (resolved by the parser), else this project's migrations/. */
export function migrations(input: CommandInput): MigrationsDirectory {
  const dir = text(input, 'migrations-dir');
  return dir === undefined ? MigrationsDirectory.ofProject() : new MigrationsDirectory(dir);
}

/** The database of a command that connects (cli/main.ts resolved it). */
export function database(input: CommandInput): DatabaseTarget {
  if (!input.database) throw new Error('a command that connects ran without its database');
  return input.database;
}
