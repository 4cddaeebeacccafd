/** `usualstore-db migrate create NAME [--sql]` */
import path from 'node:path';
import { createMigration } from '../../../migrator/directory/create';
import { say } from '../../output';
import type { InputOf } from '../../options';
import { migrations } from '../../values';

export async function run(input: InputOf<'migrate create'>): Promise<number> {
  const file = createMigration(input.positionals[0], migrations(input), { sql: input.values.sql });
  say(`created ${path.relative(process.cwd(), file) || file}`);
  return 0;
}
