/** `usualstore-db migrate status [--json] [--migrations-dir DIR]` */
import { resolveTarget } from '../../db/target';
import { formatStatus, readStatus, statusReport } from '../../migrator/status';
import { DATABASE_URL_OPTION, MIGRATIONS_DIR_OPTION, migrationsDirFrom, parseOptions } from '../options';

export async function migrateStatus(args: string[]): Promise<number> {
  const { values } = parseOptions('migrate status', args, {
    ...DATABASE_URL_OPTION,
    ...MIGRATIONS_DIR_OPTION,
    json: { type: 'boolean' },
  });
  const target = resolveTarget({ databaseUrl: values['database-url'] });
  const state = await readStatus(target, migrationsDirFrom(values['migrations-dir']));
  const output = values.json ? JSON.stringify(statusReport(state, target), null, 2) : formatStatus(state, target).join('\n');
  process.stdout.write(`${output}\n`);
  return 0;
}
