/** `usualstore-db migrate create NAME [--sql]` */
import path from 'node:path';
import { createMigration } from '../../../migrator/directory/create';
import { say } from '../../output';
import type { CommandInput } from '../../command';
import { flag, migrations } from '../../values';

export async function run(input: CommandInput): Promise<number> {
  const file = createMigration(input.positionals[0], migrations(input), { sql: flag(input, 'sql') });
  say(`created ${path.relative(process.cwd(), file) || file}`);
  return 0;
}
