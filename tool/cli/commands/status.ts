/** `usualstore-db status [--json] [--migrations-dir DIR]`: exit 0 when reachable, 1 when not. */
import { resolveTarget } from '../../db/target';
import { collectStatus } from '../../operations/status';
import { formatStatusReport } from '../../operations/status-format';
import { DATABASE_URL_OPTION, MIGRATIONS_DIR_OPTION, migrationsDirFrom, parseOptions } from '../options';

export async function status(args: string[]): Promise<number> {
  const { values } = parseOptions('status', args, { ...DATABASE_URL_OPTION, ...MIGRATIONS_DIR_OPTION, json: { type: 'boolean' } });
  const migrationsDir = migrationsDirFrom(values['migrations-dir']);
  const target = resolveTarget({ databaseUrl: values['database-url'] });
  const report = await collectStatus(target, migrationsDir);
  const output = values.json ? JSON.stringify(report, null, 2) : formatStatusReport(report, target.label).join('\n');
  process.stdout.write(`${output}\n`);
  return report.reachable ? 0 : 1;
}
