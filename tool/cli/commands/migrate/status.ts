/** `usualstore-db migrate status [--json]` */
import { formatStatus, readStatus, statusReport } from '../../../migrator/status';
import { paint } from '../../output';
import type { CommandInput } from '../../command';
import { flag, migrationsDir, target } from '../../values';

export async function run(input: CommandInput): Promise<number> {
  const dir = migrationsDir(input);
  const database = target(input);
  const status = await readStatus(database, dir);
  const output = flag(input, 'json') ? JSON.stringify(statusReport(status, database), null, 2) : formatStatus(status, database, paint).join('\n');
  process.stdout.write(`${output}\n`);
  return 0;
}
