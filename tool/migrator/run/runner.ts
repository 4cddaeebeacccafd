/**
 * The one migration run loop, as node-pg-migrate's runner and golang-migrate's runMigrations have
 * one: `migrate up`, `down`, `plan` and `rehearse` differ only in their Direction, which migrations
 * they take, how they hold the migration lock, and what they do with each one. The loop: inspect
 * the history, judge it (the one policy) and choose; say so when there is nothing to do; ask when
 * the direction asks; take the migration lock; inspect, judge and choose again (another run may
 * have moved the history while this one waited); each migration in order; when it stops, say
 * where the database is, however it stops (a failure, a signal). Nothing of a direction's choice
 * happens before the policy has judged, so a refusal never leaves a half-done run.
 */
import type { Client } from 'pg';
import type { ColumnDefinitions } from 'node-pg-migrate';
import { UserError } from '../../base/errors';
import { interruptible } from '../../base/interruption';
import type { Say } from '../../base/text';
import type { DatabaseTarget } from '../../db';
import { requireOneServerSession } from '../../db/pooler';
import { inTransaction, withAdvisoryLock, withSession } from '../../db/session';
import type { MigrationFile, MigrationsDirectory } from '../directory';
import { migrationsInOrder, type LoadedMigration } from '../directory/load';
import { inspect } from '../history/state';
import { enforce, type PolicyAction } from '../history/policy';
import type { MigrationState } from '../history/state';
import { MIGRATION_LOCK } from './migration-lock';

/** How far the migration under way has got: an interruption while it commits cannot tell whether it landed. */
export interface Progress {
  committing: boolean;
}

export interface LoadedStep {
  migration: LoadedMigration;
  shorthands: ColumnDefinitions;
}

/** What an interruption says, in a direction's words. */
export interface InterruptionWords {
  /** Before the history was read: "migrate up was connecting to X; nothing was changed". */
  connecting: string;
  /** Before any migration ran, or between two: where the database is. */
  between(done: number, where: string): string;
  /** While `name` was being committed. */
  committing(name: string, where: string): string;
  /** While `name` ran, before its commit. */
  running(name: string, where: string): string;
}

export interface Direction<R> {
  /** How the policy judges the run. */
  policy: PolicyAction;
  /** The names of the migrations the run takes, in the order it takes them (a choice that names
   * none there refuses: --to of a migration that is not there). The policy judges them. */
  select(state: MigrationState): string[];
  /** What only this direction refuses, after the policy has judged (more to revert than applied). */
  check?(state: MigrationState): void;
  /** The line when there is nothing to do; `raced`: another run did it while this one waited. */
  nothing(state: MigrationState, raced: boolean): string;
  /** Where the database is once `done` of the chosen migrations ran. */
  where(state: MigrationState, done: string[]): string;
  /** Asked before the lock is taken: a person reading a question must not hold up every deploy.
   * Under the lock the choice must then be the same, or the run stops with `changed`. */
  confirm?: { ask(chosen: MigrationFile[]): Promise<void>; changed: string };
  /** 'session': each migration commits on its own (up, down); 'transaction': all of them in one
   * transaction that is rolled back (plan), holding the lock as long; 'read-only': one read-only
   * transaction and no lock at all (plan --print-only, for a shared database). */
  lock: 'session' | 'transaction' | 'read-only';
  /** Once something is to run, before the lock (node-pg-migrate loaded meanwhile). */
  prepare?(): void;
  /** Under the lock, before the first migration (the bookkeeping made). */
  begin?(client: Client, state: MigrationState): Promise<void>;
  /** One migration. */
  each(client: Client, step: LoadedStep, progress: Progress): Promise<R>;
  /** The line said after each. */
  after?(name: string, result: R): string | undefined;
  /** The line when a migration fails: where the database is. */
  stopped(done: string[], chosen: MigrationFile[], state: MigrationState): string | undefined;
  /** The run's last line. */
  finished(done: string[], state: MigrationState, ms: number): string | undefined;
  interrupted?: InterruptionWords;
}

export interface RunOptions<T> {
  target: DatabaseTarget;
  migrations: MigrationsDirectory;
  /** For the policy's messages: --allow-edited. */
  allowEdited: boolean;
  /** How long to wait for the migration lock (and, under a transaction lock, any lock). */
  lockTimeoutMs: number;
  /** --wait: how long to wait for the server (undefined: not given; only `migrate up` has it). */
  wait?: { ms: number | undefined };
  /** Before the history is read: a shortcut that answers for the whole run (up's no-op path),
   * returning the line to say, or undefined to go on. */
  shortcut?: (client: Client) => Promise<string | undefined>;
  /** After the lock is released, on the same session (plan's measurements and summary). */
  finish?: (client: Client, results: T[], state: MigrationState) => Promise<void>;
  say: Say;
  warn: Say;
}

export interface RunResult<T> {
  /** The migrations it ran, in order. */
  done: string[];
  results: T[];
}

export async function runMigrations<T>(direction: Direction<T>, options: RunOptions<T>): Promise<RunResult<T>> {
  const started = performance.now();
  const { target, say, warn } = options;
  const context = { where: target.label, migrationsDir: options.migrations.path, allowEdited: options.allowEdited };
  const done: string[] = [];
  const results: T[] = [];
  // What an interruption (a signal) reports: where the run was and where the database is.
  let state: MigrationState | undefined;
  const run = { current: undefined as string | undefined, progress: { committing: false } };
  const words = direction.interrupted;
  const describe = words
    ? (): string => {
        if (!state) return words.connecting;
        const where = direction.where(state, done);
        if (!run.current) return words.between(done.length, where);
        return run.progress.committing ? words.committing(run.current, where) : words.running(run.current, where);
      }
    : undefined;

  return interruptible({ describe }, () =>
    withSession(target, { wait: options.wait && { ms: options.wait.ms, warn } }, async (client) => {
      const shortcut = await options.shortcut?.(client);
      if (shortcut !== undefined) {
        say(shortcut);
        return { done, results };
      }
      /** The choice, judged: refusals throw before anything runs. `warnings`: said once. */
      const choose = (from: MigrationState, warnings?: Say): MigrationFile[] => {
        const names = direction.select(from);
        enforce(direction.policy, from, { ...context, reverting: names }, warnings);
        direction.check?.(from);
        // Every name chosen has its file: the policy refuses a run that needs a missing one.
        const files = new Map(from.files.map((file) => [file.name, file]));
        return names.map((name) => files.get(name)!);
      };
      state = await inspect(client, options.migrations);
      const chosen = choose(state, warn);
      if (chosen.length === 0) {
        say(direction.nothing(state, false));
        return { done, results };
      }
      await direction.confirm?.ask(chosen);
      direction.prepare?.();

      // A session lock needs one server session for the whole run: not a pooler in transaction mode.
      const sameSession = direction.lock === 'session' ? await requireOneServerSession(client, target) : undefined;
      const locked = async (): Promise<boolean> => {
        // Read again under the lock: another run may have moved the history meanwhile.
        const current = (state = await inspect(client, options.migrations));
        const selected = choose(current);
        if (direction.confirm && selected.map((f) => f.name).join() !== chosen.map((f) => f.name).join())
          throw new UserError(direction.confirm.changed);
        if (selected.length === 0) {
          say(direction.nothing(current, true));
          return false;
        }
        await direction.begin?.(client, current);
        try {
          run.current = selected[0].name;
          for await (const step of migrationsInOrder(selected)) {
            run.current = step.migration.file.name;
            const result = await direction.each(client, step, run.progress);
            done.push(step.migration.file.name);
            results.push(result);
            run.current = undefined;
            const line = direction.after?.(step.migration.file.name, result);
            if (line !== undefined) say(line);
            await sameSession?.();
          }
        } catch (error) {
          // Whatever stopped the run (a migration, a lost connection, a refused statement), say
          // where the database is: every migration reported as done is committed.
          const line = direction.stopped(done, selected, current);
          if (line !== undefined) say(line);
          throw error;
        }
        return true;
      };
      const ran =
        direction.lock === 'session'
          ? await withAdvisoryLock(client, target, { lock: MIGRATION_LOCK, timeoutMs: options.lockTimeoutMs, warn }, locked)
          : direction.lock === 'transaction'
            ? await inTransaction(client, target, { lockTimeoutMs: options.lockTimeoutMs, lock: { lock: MIGRATION_LOCK, warn } }, locked)
            : await inTransaction(client, target, { readOnly: true }, locked);
      if (!ran) return { done, results };
      await options.finish?.(client, results, state);
      const line = direction.finished(done, state, performance.now() - started);
      if (line !== undefined) say(line);
      return { done, results };
    }),
  );
}
