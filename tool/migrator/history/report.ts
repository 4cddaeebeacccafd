/**
 * The lines the migrator prints. Plain lines on stdout (the deploy hook's output ends up in
 * the deploy's log, so no colours, no cursor tricks), one per migration, then a summary.
 */
import { plural } from '../../base/text';
import { type MigrationState, currentMigration } from './state';

/** Where the database is: "at <newest applied> (N migrations applied)". */
export function position(state: Pick<MigrationState, 'applied'>): string {
  return positionOf(state.applied.length, currentMigration(state));
}

export function positionOf(appliedCount: number, current: string | undefined): string {
  return current ? `at ${current} (${plural(appliedCount, 'migration')} applied)` : 'at no migration (none applied)';
}
