/**
 * Seeds: development and demo data, apart from the migrations. `seeds/*.sql`, applied in name
 * order by `seed` and by `reset`, all in one transaction, never by `migrate up` (so never by a
 * deploy's hook, production's included). Each seed is written to be idempotent (ON CONFLICT DO
 * NOTHING, WHERE NOT EXISTS): applied twice, the rows are the same.
 */
import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../../base/errors';
import { projectRoot } from '../../base/project';
import { failureCause, runSteps } from './apply';
import type { Queryable } from '../history/bookkeeping';
import { splitStatements } from '../directory/statements';

export interface SeedFile {
  name: string;
  path: string;
}

/** The project's seeds directory. */
export function defaultSeedsDir(): string {
  return path.join(projectRoot(), 'seeds');
}

/** The seeds, in name order; none when the directory does not exist. */
export function seedFiles(dir: string): SeedFile[] {
  let entries: string[];
  try {
    entries = fs.readdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new UserError(`cannot read the seeds directory ${dir}: ${(error as Error).message}`);
  }
  return entries
    .filter((entry) => !entry.startsWith('.'))
    .map((entry) => {
      if (!entry.endsWith('.sql'))
        throw new UserError(`${path.join(dir, entry)} is not a seed (seeds are .sql files); move it out of ${dir}`);
      return { name: entry.replace(/\.sql$/, ''), path: path.join(dir, entry) };
    })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Runs every seed in the caller's transaction, statement by statement; a failure names the seed. */
export async function applySeeds(db: Queryable, seeds: SeedFile[]): Promise<void> {
  for (const seed of seeds) {
    try {
      await runSteps(db, splitStatements(fs.readFileSync(seed.path, 'utf8')));
    } catch (error) {
      throw new UserError(`seed ${seed.name} failed: ${failureCause(error)}`);
    }
  }
}
