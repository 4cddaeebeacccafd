/** `usualstore-db review [--base REF] [--junit FILE]`: the Markdown report of a change, on stdout. */
import fs from 'node:fs';
import { UserError } from '../../base/errors';
import { projectRoot } from '../../base/project';
import { junitReport } from '../../review/junit';
import { reviewReport } from '../../review/report';
import type { CommandInput } from '../command';
import { resolveDatabase } from '../../db';
import { flag, migrations, ms, text } from '../values';

export async function run(input: CommandInput): Promise<number> {
  const on = text(input, 'on');
  if (on !== undefined && !input.database)
    throw new UserError('review --on rehearses the pending migrations of a database: give it with --database-url or DATABASE_URL');
  // Drift only for a database named on purpose (the table's connects: 'explicit').
  const review = await reviewReport({
    projectDir: projectRoot(),
    migrations: migrations(input),
    base: text(input, 'base'),
    target: input.database,
    lockTimeoutMs: ms(input, 'lock-timeout'),
    live: flag(input, 'live'),
    rehearseOn: on === undefined ? undefined : resolveDatabase({ url: on, option: '--on', fallback: 'none' }),
  });
  const junit = text(input, 'junit');
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
