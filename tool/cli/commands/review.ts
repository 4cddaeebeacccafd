/** `usualstore-db review [--base REF] [--junit FILE]`: the Markdown report of a change, on stdout. */
import fs from 'node:fs';
import { UserError } from '../../base/errors';
import { projectRoot } from '../../base/project';
import { junitReport } from '../../review/junit';
import { reviewReport } from '../../review/report';
import type { InputOf } from '../options';
import { resolveDatabase } from '../../db';
import { MigrationsDirectory } from '../../migrator/directory';

export async function run(input: InputOf<'review'>): Promise<number> {
  const on = input.values.on;
  if (on !== undefined && !input.database)
    throw new UserError('review --on rehearses the pending migrations of a database: give it with --database-url or DATABASE_URL');
  // Drift only for a database named on purpose (the table's connects: 'explicit').
  const review = await reviewReport({
    projectDir: projectRoot(),
    // The review compares this checkout's migrations/ with its base's (no --migrations-dir).
    migrations: MigrationsDirectory.ofProject(),
    base: input.values.base,
    target: input.database,
    lockTimeoutMs: input.values['lock-timeout'],
    live: input.values.live,
    rehearseOn: on === undefined ? undefined : resolveDatabase({ url: on, option: '--on', fallback: 'none' }),
  });
  const junit = input.values.junit;
  if (junit !== undefined) {
    try {
      fs.writeFileSync(junit, junitReport(review.checks));
    } catch (error) {
      throw new UserError(`cannot write ${junit}: ${(error as Error).message}`);
    }
  }
  process.stdout.write(review.markdown);
  return 0;
}
