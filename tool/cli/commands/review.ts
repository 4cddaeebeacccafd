/** `usualstore-db review [--base REF]`: the Markdown report of a change, on stdout. */
import { projectRoot } from '../../base/project';
import { reviewReport } from '../../review/report';
import type { CommandInput } from '../command';
import { migrations, ms, text } from '../values';

export async function run(input: CommandInput): Promise<number> {
  // Drift only for a database named on purpose (the table's connects: 'explicit').
  process.stdout.write(
    await reviewReport({
      projectDir: projectRoot(),
      migrations: migrations(input),
      base: text(input, 'base'),
      target: input.database,
      lockTimeoutMs: ms(input, 'lock-timeout'),
    }),
  );
  return 0;
}
