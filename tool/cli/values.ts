/**
 * What handlers derive from their input beyond the option values themselves (those are typed
 * from the table: command.ts, options.ts): the migrations directory, the database main resolved.
 * Nothing here decides a default: the table does.
 */
import type { DatabaseTarget } from '../db';
import { MigrationsDirectory } from '../migrator/directory';

/** --migrations-dir (resolved by the parser), else this project's migrations/. */
export function migrations(input: { values: { readonly 'migrations-dir': string | undefined } }): MigrationsDirectory {
  const dir = input.values['migrations-dir'];
  return dir === undefined ? MigrationsDirectory.ofProject() : new MigrationsDirectory(dir);
}

/** The database of a command that connects (cli/main.ts resolved it). */
export function database(input: { database?: DatabaseTarget }): DatabaseTarget {
  if (!input.database) throw new Error('a command that connects ran without its database');
  return input.database;
}
