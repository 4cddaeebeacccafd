/** `usualstore-db migrate create NAME [--migrations-dir DIR]` */
import path from 'node:path';
import { createMigration } from '../../migrator/create';
import { UserError } from '../../base/errors';
import { MIGRATIONS_DIR_OPTION, migrationsDirFrom, parseOptions } from '../options';

export async function migrateCreate(args: string[]): Promise<number> {
  const { values, positionals } = parseOptions('migrate create', args, { ...MIGRATIONS_DIR_OPTION }, 1);
  if (positionals.length === 0) throw new UserError('migrate create needs a NAME, e.g. migrate create add_index_to_orders');
  const file = createMigration(positionals[0], migrationsDirFrom(values['migrations-dir']));
  process.stdout.write(`created ${path.relative(process.cwd(), file) || file}\n`);
  return 0;
}
