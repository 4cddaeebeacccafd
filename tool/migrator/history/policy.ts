/**
 * The one refusal policy: the states of a history in which the migrator changes nothing, and what
 * it says about the states it runs in despite them. Every command that acts on a history asks
 * here, so that what `migrate plan` passes `migrate up` runs: up and plan (judged as 'up'), down
 * (as 'down', for the migrations it would revert), status (what up would say), and lint and review
 * (what up would say of a database at the base commit: see at-base.ts). Pure, decided from the
 * state alone, and checked before any migration runs, so a refusal never leaves a half-done run.
 */
import { UserError } from '../../base/errors';
import { plural, shortList } from '../../base/text';
import type { MigrationState } from './state';

export type PolicyAction = 'up' | 'down';

export interface PolicyContext {
  /** The database (its label), for messages. */
  where: string;
  /** The migrations directory's path, for messages. */
  migrationsDir: string;
  /** --allow-edited: run despite edited applied migrations (this run only). */
  allowEdited?: boolean;
  /** For 'down': the migrations it would revert. */
  reverting?: string[];
}

/** What stopped it. */
export type RefusalKind =
  'unadopted' | 'untracked' | 'foreign-directory' | 'missing' | 'edited' | 'invalid-index' | 'out-of-order' | 'empty';

/** The refusals that mean the history is not this migrator's yet: no table of it can be shown. */
export const NOT_OURS_YET: readonly RefusalKind[] = ['unadopted', 'untracked'];

export interface Verdict {
  /** Why nothing may run (one line), if anything stops it. */
  refusal?: string;
  refusedFor?: RefusalKind;
  /** What runs despite, said on stderr. */
  warnings: string[];
}

const list = (names: string[]) => shortList(names);
const them = (names: string[], one: string, many: string) => (names.length === 1 ? one : many);

export function judge(action: PolicyAction, state: MigrationState, context: PolicyContext): Verdict {
  const warnings: string[] = [];
  const reverting = new Set(context.reverting ?? []);
  const concerned = (names: string[]) => (action === 'down' ? names.filter((name) => reverting.has(name)) : names);
  const refuse = (refusedFor: RefusalKind, refusal: string): Verdict => ({ refusal, refusedFor, warnings });

  // A soda database not adopted has every migration pending: running them would re-run its
  // history (failing on the first table that exists).
  if (state.unadoptedSoda > 0) {
    return refuse(
      'unadopted',
      `${context.where} was migrated by soda (schema_migration holds ${plural(state.unadoptedSoda, 'version')}) and is not adopted yet; run \`./usualstore-db migrate adopt\` first (see README); nothing was changed`,
    );
  }
  // Tables and no history (built by hand, or from schema.sql): migrating from zero would stop at
  // the first table that exists, after changing whatever came before it.
  if (action === 'up' && state.applied.length === 0 && state.untrackedTables.length > 0 && state.pending.length > 0) {
    return refuse(
      'untracked',
      `${context.where} has tables (${list(state.untrackedTables)}) but no migration history (built by hand, or from schema.sql); take it over with \`./usualstore-db migrate baseline --to VERSION --reason …\` (VERSION: the newest migration its schema holds), or migrate an empty database; nothing was changed`,
    );
  }
  // Applied migrations none of which has a file here: an empty or wrong --migrations-dir. Saying
  // "up to date" (or applying another project's files) would hide the mistake.
  if (state.applied.length > 0 && state.missing.length === state.applied.length) {
    const found = state.files.length === 0 ? 'has no migration files' : `has none of them (${state.files.length} other files)`;
    return refuse(
      'foreign-directory',
      `${context.where} has ${state.applied.length} applied migrations (newest ${state.applied.at(-1)!.name}), but ${context.migrationsDir} ${found}; is --migrations-dir right? nothing was changed`,
    );
  }
  const missing = concerned(state.missing);
  if (action === 'down' && missing.length > 0) {
    return refuse(
      'missing',
      `cannot revert ${missing.join(', ')}: no such file in ${context.migrationsDir} (its down is in the file); restore it, pass --migrations-dir, or drop its record with migrate forget`,
    );
  }
  if (missing.length > 0)
    warnings.push(
      `warning: applied migrations with no file in ${context.migrationsDir}: ${missing.join(', ')} (migrate forget drops the record of one deleted on purpose)`,
    );
  // Running (or reverting) past an edit: the database no longer matches what the files say.
  const edited = concerned(state.edited);
  if (edited.length > 0 && !context.allowEdited) {
    return refuse(
      'edited',
      `refusing to migrate: applied ${them(edited, 'migration', 'migrations')} ${list(edited)} changed since applied (checksum differs); restore the ${them(edited, 'file', 'files')} and put changes in a new migration (migrate create); or, after review, record the edit with migrate accept (--allow-edited passes this run only)`,
    );
  }
  if (edited.length > 0) warnings.push(`warning: running despite edited applied migrations (--allow-edited): ${edited.join(', ')}`);
  // An index a failed CREATE INDEX CONCURRENTLY left invalid: a migration's IF NOT EXISTS would
  // skip it, and the index would stay unusable for good.
  if (action === 'up' && state.pending.length > 0 && state.invalidIndexes.length > 0) {
    const [first] = state.invalidIndexes;
    return refuse(
      'invalid-index',
      `refusing to migrate: index ${list(state.invalidIndexes)} ${them(state.invalidIndexes, 'is', 'are')} invalid (left by a CREATE INDEX CONCURRENTLY that failed or was stopped; IF NOT EXISTS would skip ${them(state.invalidIndexes, 'it', 'them')}); drop ${them(state.invalidIndexes, 'it', 'them')} (DROP INDEX CONCURRENTLY ${first.split(' on ')[0]}), then migrate up again builds ${them(state.invalidIndexes, 'it', 'them')} anew`,
    );
  }
  // A migration created and never filled in would be recorded as applied having done nothing.
  if (action === 'up' && state.unfilled.length > 0) {
    return refuse(
      'empty',
      `refusing to migrate: ${list(state.unfilled)} ${them(state.unfilled, 'is', 'are')} still the template migrate create wrote (an empty migration): write ${them(state.unfilled, 'its', 'their')} up and down, or delete ${them(state.unfilled, 'the file', 'the files')}`,
    );
  }
  // Pending migrations older than the newest applied one would run history out of order.
  if (action === 'up' && state.outOfOrder.length > 0) {
    const names = state.outOfOrder.map((m) => m.name);
    return refuse(
      'out-of-order',
      `refusing to migrate: pending ${list(names)} ${them(names, 'is', 'are')} older than the applied ${state.outOfOrder[0].newestApplied}; give ${them(names, 'it', 'them')} a newer version (migrate create makes one)`,
    );
  }
  return { warnings };
}

/** Throws the refusal; says the warnings (when given somewhere to say them). */
export function enforce(action: PolicyAction, state: MigrationState, context: PolicyContext, warn?: (line: string) => void): void {
  const verdict = judge(action, state, context);
  if (verdict.refusal) throw new UserError(verdict.refusal);
  for (const warning of verdict.warnings) warn?.(warning);
}
