/**
 * The lines the migrator prints. Plain lines on stdout (the deploy hook's output ends up in
 * `cdktf deploy`'s log, so no colours, no cursor tricks), one per migration, then a summary.
 */
import type { MigrationState } from './state';
import { currentMigration } from './state';

/** Receives each output line (stdout in the CLI). */
export type Say = (line: string) => void;

export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** Where the database is: "at <newest applied> (N migrations applied)". */
export function position(state: Pick<MigrationState, 'applied'>): string {
  return positionOf(state.applied.length, currentMigration(state));
}

export function positionOf(appliedCount: number, current: string | undefined): string {
  return current ? `at ${current} (${plural(appliedCount, 'migration')} applied)` : 'at no migration (none applied)';
}
