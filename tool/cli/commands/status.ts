/** `usualstore-db status [--json]`: exit 0 when reachable, 1 when not. */
import { collectStatus } from '../../operations/status';
import { formatStatusReport } from '../../operations/status-format';
import type { InputOf } from '../options';
import { database, migrations } from '../values';

export async function run(input: InputOf<'status'>): Promise<number> {
  const target = database(input);
  const report = await collectStatus(target, migrations(input));
  const output = input.values.json ? JSON.stringify(report, null, 2) : formatStatusReport(report, target.label).join('\n');
  process.stdout.write(`${output}\n`);
  return report.reachable ? 0 : 1;
}
