/** `usualstore-db migrate status [--json] [--check]` */
import { UserError } from '../../../base/errors';
import { judge, NOT_OURS_YET } from '../../../migrator/history/policy';
import { formatStatus, readStatus, statusReport, type Status } from '../../../migrator/history/status';
import { paint, warn } from '../../output';
import type { InputOf } from '../../options';
import { database, migrations } from '../../values';

/** --check's exit status when the database is not at the directory, or something is wrong. */
export const EXIT_CHECK_FAILED = 2;

/** What --check finds wrong (none: the database is at the directory), one phrase each. */
function checkFailures({ state }: Status, where: string, migrationsDir: string): string[] {
  const failures: string[] = [];
  const verdict = judge('up', state, { where, migrationsDir });
  if (verdict.refusal) failures.push(`migrate up would refuse: ${verdict.refusal.replace(/^refusing to migrate: /, '')}`);
  if (state.pending.length > 0) failures.push(`${state.pending.length} pending: ${state.pending.map((m) => m.name).join(', ')}`);
  if (state.edited.length > 0 && verdict.refusedFor !== 'edited') failures.push(`edited since applied: ${state.edited.join(', ')}`);
  if (state.missing.length > 0) failures.push(`applied with no file: ${state.missing.join(', ')}`);
  if (state.invalidIndexes.length > 0 && verdict.refusedFor !== 'invalid-index')
    failures.push(`invalid indexes: ${state.invalidIndexes.join(', ')}`);
  return failures;
}

export async function run(input: InputOf<'migrate status'>): Promise<number> {
  const target = database(input);
  const dir = migrations(input);
  const status = await readStatus(target, dir);
  // A history that is not this migrator's yet (soda's, or none beside tables) has no table to show:
  // every migration would read as pending. Refused as migrate up refuses it.
  const verdict = judge('up', status.state, { where: target.label, migrationsDir: dir.path });
  if (verdict.refusedFor && NOT_OURS_YET.includes(verdict.refusedFor)) throw new UserError(verdict.refusal!);
  const output = input.values.json ? JSON.stringify(statusReport(status, target), null, 2) : formatStatus(status, target, paint).join('\n');
  process.stdout.write(`${output}\n`);
  if (!input.values.check) return 0;
  const failures = checkFailures(status, target.label, dir.path);
  for (const failure of failures) warn(`check: ${failure}`);
  return failures.length > 0 ? EXIT_CHECK_FAILED : 0;
}
