/** `usualstore-db status [--json]`: exit 0 when reachable, 1 when not. */
import { collectStatus } from '../../operations/status';
import { formatStatusReport } from '../../operations/status-format';
import type { CommandInput } from '../command';
import { flag, migrationsDir, target } from '../values';

export async function run(input: CommandInput): Promise<number> {
  const dir = migrationsDir(input);
  const database = target(input);
  const report = await collectStatus(database, dir);
  const output = flag(input, 'json') ? JSON.stringify(report, null, 2) : formatStatusReport(report, database.label).join('\n');
  process.stdout.write(`${output}\n`);
  return report.reachable ? 0 : 1;
}
