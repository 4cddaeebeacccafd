/**
 * Repairs of the bookkeeping, after review, for the two states a deploy cannot get past alone:
 * - accept: an applied migration whose file was edited (a comment, a corrected down) gets its
 *   new checksum recorded, so later deploys stop refusing; what it applied is not re-run.
 * - forget: an applied migration whose file was deleted loses its record (the schema it built
 *   stays as it is).
 * Flyway's `repair`, Atlas's `migrate hash`/`set` and Supabase's `migration repair` are the
 * models. Every repair is said loudly and kept in the audit table, in the same transaction.
 */
import { UserError } from '../../base/errors';
import { pg } from '../../db/pg';
import { plural, type Say } from '../../base/text';
import type { DatabaseTarget } from '../../db';
import { AUDIT_TABLE, CHECKSUMS_TABLE, CREATE_AUDIT_SQL, MIGRATIONS_TABLE, checksumSql } from '../history/bookkeeping';
import type { MigrationsDirectory } from '../directory';
import { inspect } from '../history/state';
import { withMigrationLock } from '../run/migration-lock';
import { runAtomically, withSession } from '../../db/session';

export interface RepairOptions {
  target: DatabaseTarget;
  migrations: MigrationsDirectory;
  names: string[];
  /** Why (required: the audit trail keeps it). */
  reason: string;
  lockTimeoutMs: number;
  say: Say;
  warn: Say;
}

const short = (sha: string | null | undefined) => (sha ? `${sha.slice(0, 12)}…` : 'none');

async function repair(options: RepairOptions, action: 'accept' | 'forget'): Promise<void> {
  const { target } = options;
  await withSession(target, {}, (client) =>
    withMigrationLock(client, { target, timeoutMs: options.lockTimeoutMs, warn: options.warn }, async () => {
      const state = await inspect(client, options.migrations);
      const eligible = new Set(action === 'accept' ? state.edited : state.missing);
      const wrong = options.names.filter((name) => !eligible.has(name));
      if (wrong.length > 0) {
        const what =
          action === 'accept'
            ? 'edited applied migrations (see migrate status)'
            : 'applied migrations whose file is gone (see migrate status)';
        throw new UserError(`migrate ${action} takes only ${what}; not one: ${wrong.join(', ')}; nothing was changed`);
      }
      const literal = (value: string | null | undefined) => (value == null ? 'NULL' : pg().escapeLiteral(value));
      const recorded = new Map(state.applied.map((m) => [m.name, m.checksum]));
      const files = new Map(state.files.map((file) => [file.name, file]));
      const statements = [CREATE_AUDIT_SQL];
      const lines: string[] = [];
      for (const name of options.names) {
        const old = recorded.get(name) ?? null;
        if (action === 'accept') {
          const sha = options.migrations.checksum(files.get(name)!);
          statements.push(checksumSql(name, sha));
          statements.push(
            `INSERT INTO ${AUDIT_TABLE} (action, name, old_sha256, new_sha256, reason) VALUES ('accept', ${literal(name)}, ${literal(old)}, ${literal(sha)}, ${literal(options.reason)})`,
          );
          lines.push(`accepted the edit of ${name}: recorded checksum ${short(old)} -> ${short(sha)} (it is not re-run)`);
        } else {
          statements.push(
            `DELETE FROM ${MIGRATIONS_TABLE} WHERE name = ${literal(name)}; DELETE FROM ${CHECKSUMS_TABLE} WHERE name = ${literal(name)}`,
          );
          statements.push(
            `INSERT INTO ${AUDIT_TABLE} (action, name, old_sha256, reason) VALUES ('forget', ${literal(name)}, ${literal(old)}, ${literal(options.reason)})`,
          );
          lines.push(`forgot the record of ${name} (the schema it built is unchanged)`);
        }
      }
      await runAtomically(client, statements);
      for (const line of lines) options.say(line);
      options.say(
        `repaired ${plural(options.names.length, 'migration')} of ${target.label}; kept in ${AUDIT_TABLE.replace(/"/g, '')} (migrate status lists it)`,
      );
    }),
  );
}

export const acceptEdits = (options: RepairOptions) => repair(options, 'accept');
export const forgetMissing = (options: RepairOptions) => repair(options, 'forget');
