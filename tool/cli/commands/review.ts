/** `usualstore-db review [--base REF]`: the Markdown report of a change, on stdout. */
import { projectRoot } from '../../migrator/files';
import { reviewReport } from '../../review/report';
import type { CommandInput } from '../command';
import { stringValue, target } from '../values';

export async function run(input: CommandInput): Promise<number> {
  // Drift only for a database named on purpose: a review must not reach for the deployed one.
  const given = stringValue(input, 'database-url') !== undefined || (process.env.DATABASE_URL ?? '').trim() !== '';
  process.stdout.write(await reviewReport({ projectDir: projectRoot(), base: stringValue(input, 'base'), target: given ? target(input) : undefined }));
  return 0;
}
