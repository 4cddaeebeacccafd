/** `usualstore-db status [--json]`: exit 0 when reachable, 1 when not. */
import { collectStatus } from '../../operations/status';
import { formatStatusReport } from '../../operations/status-format';
import type { CommandInput } from '../command';
import { database, flag, migrations } from '../values';

export async function run(input: CommandInput): Promise<number> {
  const target = database(input);
  const report = await collectStatus(target, migrations(input));
  const output = flag(input, 'json') ? JSON.stringify(report, null, 2) : formatStatusReport(report, target.label).join('\n');
  process.stdout.write(`${output}\n`);
  return report.reachable ? 0 : 1;
}
