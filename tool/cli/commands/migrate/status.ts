/** `usualstore-db migrate status [--json]` */
import { formatStatus, readStatus, statusReport } from '../../../migrator/status';
import { paint } from '../../output';
import type { CommandInput } from '../../command';
import { database, flag, migrations } from '../../values';

export async function run(input: CommandInput): Promise<number> {
  const target = database(input);
  const status = await readStatus(target, migrations(input));
  const output = flag(input, 'json')
    ? JSON.stringify(statusReport(status, target), null, 2)
    : formatStatus(status, target, paint).join('\n');
  process.stdout.write(`${output}\n`);
  return 0;
}
