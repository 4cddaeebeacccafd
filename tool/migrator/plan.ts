/**
 * `migrate plan`: the pending migrations and the SQL each would run, verified against the live
 * database by running them all, in order, inside ONE transaction that is then rolled back.
 *
 * Leaves nothing behind: only the migrations' own statements run (no bookkeeping is written, so
 * no table is created for it), and the only lock is transaction-level (released by the rollback). The
 * exception PostgreSQL imposes, sequence numbers drawn by INSERTs, is reported, not hidden.
 * lock_timeout bounds every lock wait: verifying must neither hang behind the application nor
 * keep it queued behind an ALTER TABLE for long.
 */
import { UserError } from '../base/errors';
import { connect, disconnect, type DatabaseTarget } from '../db';
import { formatSeconds, type Say, formatDuration, plural } from '../base/text';
import { failureCause, runSteps } from './apply';
import { inspect } from './inspect';
import { buildSql, migrationsInOrder } from './load';
import { refuseEdited, refuseOutOfOrder } from './policy';
import { position } from './report';
import { refuseUnadopted } from './soda';
import { advancedSequences, readSequencePositions } from './sequences';
import { lockForTransaction } from './lock';

export interface PlanOptions {
  target: DatabaseTarget;
  migrationsDir: string;
  lockTimeoutMs: number;
  allowEdited: boolean;
  /** The plan itself (stdout). */
  say: Say;
  /** Notes about it (stderr). */
  warn: Say;
}

/** Seconds of waiting for a lock before giving up: short, since the application waits too. */
export const DEFAULT_PLAN_LOCK_TIMEOUT_MS = 5000;

const LOCK_TIMEOUT = /SQLSTATE 55P03/;

export async function planMigrations(options: PlanOptions): Promise<{ pending: string[] }> {
  const started = performance.now();
  const { target, say } = options;
  const client = await connect(target);
  try {
    let state = await inspect(client, options.migrationsDir);
    // The refusals of `migrate up`, so that a plan that passes means an up that runs.
    await refuseUnadopted(client, state, target.label);
    refuseEdited(state.edited, options);
    refuseOutOfOrder(state);
    if (state.pending.length === 0) {
      say(`${target.label} is up to date, ${position(state)}; nothing pending`);
      return { pending: [] };
    }
    const sequencesBefore = await readSequencePositions(client);
    const wait = formatSeconds(options.lockTimeoutMs);
    const unverified: string[] = [];
    await client.query('BEGIN');
    try {
      await lockForTransaction(client, { target, timeoutMs: options.lockTimeoutMs, warn: options.warn });
      // Read again under the lock: a run that just finished may have applied some.
      state = await inspect(client, options.migrationsDir);
      refuseEdited(state.edited, options);
      refuseOutOfOrder(state);
      if (state.pending.length === 0) {
        say(`${target.label} is up to date, ${position(state)} (a migration run applied the rest while this one waited); nothing pending`);
        return { pending: [] };
      }
      let index = 0;
      for await (const { migration, shorthands } of migrationsInOrder(state.pending)) {
        const file = migration.file;
        let steps: string[];
        let verified = true;
        try {
          // Built inside the transaction, as `up` does: a migration may read the database.
          const sql = await buildSql(client, migration, 'up', shorthands);
          steps = sql.steps;
          // pgm.noTransaction() (CREATE INDEX CONCURRENTLY...): its statements refuse to run in
          // a transaction block, so they are shown but cannot be verified here.
          verified = sql.transactional;
          if (verified) await runSteps(client, steps);
          else unverified.push(file.name);
        } catch (error) {
          const cause = failureCause(error);
          if (LOCK_TIMEOUT.test(cause)) throw new UserError(`cannot verify ${file.name}: a table it changes stayed in use for more than ${wait} (lock timeout); retry, or raise --lock-timeout`);
          throw new UserError(`pending migration ${file.name} fails: ${cause}; nothing was changed`);
        }
        say(`-- ${++index}/${state.pending.length} ${file.name}${verified ? '' : ' (NOT verified: it runs outside a transaction, pgm.noTransaction())'}`);
        for (const step of steps) say(step);
        say('');
      }
    } finally {
      await client.query('ROLLBACK').catch(() => {});
    }
    const moved = advancedSequences(sequencesBefore, await readSequencePositions(client));
    if (moved.length > 0) {
      options.warn(`note: sequences moved while verifying (PostgreSQL never rolls back nextval; numbers are skipped, never reused): ${moved.join(', ')}`);
    }
    say(
      `${plural(state.pending.length, 'pending migration')} verified against ${target.label} in ${formatDuration(performance.now() - started)}: every statement ran in one transaction, then rolled back${unverified.length ? ` (except those of ${unverified.join(', ')}: not verified)` : ''}; migrate up would apply ${state.pending.length === 1 ? 'it' : 'them'}`,
    );
    return { pending: state.pending.map((file) => file.name) };
  } finally {
    await disconnect(client);
  }
}
