/**
 * Loading a migration file and turning it into SQL, with node-pg-migrate's own building blocks
 * (its jiti instance to load .ts files, its MigrationBuilder to produce the SQL), so a migration
 * means exactly what it means to node-pg-migrate.
 *
 * node-pg-migrate is ESM-only and costs ~80 ms to import: it is imported on first use, which
 * the no-op `migrate up` never reaches. (TypeScript keeps `import()` as a real dynamic import in
 * CommonJS output under module NodeNext.)
 */
import type { ColumnDefinitions, MigrationBuilder } from 'node-pg-migrate';
import fs from 'node:fs';
import { UserError } from '../../base/errors';
import { oneLine } from '../../base/text';
import type { Queryable } from '../history/bookkeeping';
import { checksumOf } from './index';
import { loadCompiled } from './compiled';
import type { MigrationFile } from './index';
import { splitStatements } from './statements';

export type Direction = 'up' | 'down';

type MigrationAction = (pgm: MigrationBuilder, run?: () => void) => Promise<void> | void;

/** What a migration module exports (node-pg-migrate's MigrationBuilderActions). */
export interface MigrationActions {
  up?: MigrationAction | false;
  down?: MigrationAction | false;
  shorthands?: ColumnDefinitions;
}

export interface LoadedMigration {
  file: MigrationFile;
  /** sha256 of the bytes that were loaded: what gets recorded when it is applied. */
  checksum: string;
  actions: MigrationActions;
}

export interface MigrationSql {
  steps: string[];
  /** False when the migration called pgm.noTransaction() (e.g. CREATE INDEX CONCURRENTLY). */
  transactional: boolean;
}

type NodePgMigrate = typeof import('node-pg-migrate');
let library: Promise<NodePgMigrate> | undefined;
function nodePgMigrate(): Promise<NodePgMigrate> {
  library ??= import('node-pg-migrate');
  return library;
}

/**
 * The loader node-pg-migrate uses for migration scripts (jiti, created as it creates it), for
 * what the compiled fast path (compiled.ts) does not load. Imported on its own: the bundled
 * command carries node-pg-migrate's MigrationBuilder without its loaders (scripts/bundle.mjs).
 */
let jiti: Promise<{ import<T>(id: string): Promise<T> }> | undefined;
function jitiLoader(): Promise<{ import<T>(id: string): Promise<T> }> {
  jiti ??= import('jiti').then(({ createJiti }) => createJiti(process.cwd()));
  return jiti;
}

/** Starts importing node-pg-migrate without waiting: the CPU-bound import then overlaps with
 * the round trips that precede the first migration (lock, bookkeeping tables, re-reading). */
export function preloadLibrary(): void {
  nodePgMigrate().catch(() => {}); // a failure surfaces, as a UserError, in loadMigration
}

/** Long transpiler errors (with code frames) are cut down to stay a readable single line. */
function shortMessage(error: unknown): string {
  const text = oneLine(error instanceof Error ? error.message : String(error));
  return text.length > 400 ? `${text.slice(0, 400)}...` : text;
}

/**
 * An SQL migration as node-pg-migrate reads one: the text from a `-- Up Migration` comment to a
 * `-- Down Migration` comment is up, the rest down (no down comment: irreversible; no up
 * comment: the whole file is up). Each part runs as one multi-statement query.
 */
export function sqlActions(content: string): MigrationActions {
  const upAt = sqlSectionAt(content, 'up');
  const downAt = sqlSectionAt(content, 'down');
  const upSql = upAt < 0 ? content : content.slice(upAt, downAt > upAt ? downAt : undefined);
  const downSql = downAt < 0 ? undefined : content.slice(downAt, upAt > downAt ? upAt : undefined);
  return {
    up: (pgm) => pgm.sql(upSql),
    down: downSql === undefined ? false : (pgm) => pgm.sql(downSql),
  };
}

/** Where an SQL migration's `-- Up Migration` (or down) comment starts; -1 without one. */
export function sqlSectionAt(content: string, direction: Direction): number {
  return content.search(new RegExp(`^\\s*--[\\s-]*${direction}\\s+migration`, 'im'));
}

export async function loadMigration(file: MigrationFile): Promise<LoadedMigration> {
  let checksum: string;
  let actions: MigrationActions;
  try {
    const bytes = fs.readFileSync(file.path);
    checksum = checksumOf(bytes);
    if (file.path.endsWith('.sql')) actions = sqlActions(bytes.toString('utf8'));
    else {
      const compiled = loadCompiled(file.path, bytes, checksum) as MigrationActions | undefined;
      if (compiled) actions = compiled;
      else {
        actions = await (await jitiLoader()).import<MigrationActions>(file.path);
      }
    }
  } catch (error) {
    throw new UserError(`cannot load migration ${file.name} (${file.path}): ${shortMessage(error)}`);
  }
  if (typeof actions?.up !== 'function' && actions?.up !== false) {
    throw new UserError(`migration ${file.name} (${file.path}) does not export an up function`);
  }
  // Read once: a compiled module's exports are getters.
  return { file, checksum, actions: { up: actions.up, down: actions.down, shorthands: actions.shorthands } };
}

/**
 * Loads the files one after another in the background, yielding to the event loop between
 * them, so that loading the next migrations overlaps with the server running the current one.
 * (node-pg-migrate's runner also loads every file before running any.) Await them in order.
 */
function loadInOrder(files: MigrationFile[]): Promise<LoadedMigration>[] {
  const loads: Promise<LoadedMigration>[] = [];
  let previous: Promise<unknown> = Promise.resolve();
  for (const file of files) {
    const load = previous.then(() => new Promise<void>((resolve) => setImmediate(resolve))).then(() => loadMigration(file));
    // Marked handled here; the caller still gets the error when it awaits this load.
    load.catch(() => {});
    loads.push(load);
    previous = load.catch(() => {});
  }
  return loads;
}

/**
 * The one loop over migrations that up, down, plan and adopt share: each loaded migration in
 * order, with the shorthands the ones before it exported (as in node-pg-migrate, a migration's
 * shorthands apply to the later ones of the same run). What is done with each is the caller's.
 */
export async function* migrationsInOrder(
  files: MigrationFile[],
): AsyncGenerator<{ migration: LoadedMigration; shorthands: ColumnDefinitions }> {
  const loads = loadInOrder(files);
  let shorthands: ColumnDefinitions = {};
  for (const load of loads) {
    const migration = await load;
    shorthands = { ...shorthands, ...migration.actions.shorthands };
    yield { migration, shorthands };
  }
}

/** node-pg-migrate's warnings go to stderr; its info/debug chatter is dropped. */
const LOGGER = {
  debug: () => {},
  info: () => {},
  warn: (...args: unknown[]) => process.stderr.write(`usualstore-db: ${args.join(' ')}\n`),
  error: (...args: unknown[]) => process.stderr.write(`usualstore-db: ${args.join(' ')}\n`),
};

/**
 * How long a callback-style migration function, `up(pgm, run)`, may sit idle (no query of its own
 * under way) without calling run(). node-pg-migrate waits for run() for ever; a function that
 * forgot it would hang the deploy until killed.
 */
export const RUN_CALLBACK_IDLE_MS = 5_000;

function untilRunIsCalled(
  action: MigrationAction,
  pgm: MigrationBuilder,
  activity: { inFlight: number; last: number },
  what: string,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const watch = setInterval(() => {
      if (activity.inFlight > 0 || performance.now() - activity.last < RUN_CALLBACK_IDLE_MS) return;
      clearInterval(watch);
      reject(
        new UserError(
          `${what} did nothing for ${RUN_CALLBACK_IDLE_MS / 1000} s and never called run(); call run() when it is done, or declare it without the run parameter`,
        ),
      );
    }, 250);
    const done = () => {
      clearInterval(watch);
      resolve();
    };
    Promise.resolve(action(pgm, done)).catch((error: unknown) => {
      clearInterval(watch);
      reject(error);
    });
  });
}

/**
 * Runs the migration's up or down function to collect its SQL. The function may query the
 * database itself (pgm.db), so call this inside the transaction that will run the SQL.
 * Like node-pg-migrate: a missing down means "reverse the up"; down === false means irreversible.
 */
export async function buildSql(
  db: Queryable,
  migration: LoadedMigration,
  direction: Direction,
  shorthands?: ColumnDefinitions,
): Promise<MigrationSql> {
  const { MigrationBuilder: Builder } = await nodePgMigrate();
  const { up, down } = migration.actions;
  const reverse = direction === 'down' && down === undefined;
  const action = direction === 'up' || reverse ? up : down;
  if (action === false || action === undefined) {
    throw new UserError(
      `migration ${migration.file.name} cannot be run ${direction}: its ${reverse ? 'up' : direction} is ${String(action)}`,
    );
  }
  const activity = { inFlight: 0, last: performance.now() };
  const track = <T>(query: Promise<T>): Promise<T> => {
    activity.inFlight++;
    return query.finally(() => {
      activity.inFlight--;
      activity.last = performance.now();
    });
  };
  const dbForBuilder = {
    query: (sql: string, values?: unknown[]) => track(db.query(sql, values)),
    select: async (sql: string, values?: unknown[]) => (await track(db.query(sql, values))).rows,
  } as unknown as ConstructorParameters<typeof Builder>[0];
  const pgm = new Builder(dbForBuilder, { ...shorthands, ...migration.actions.shorthands }, false, LOGGER);
  if (reverse) pgm.enableReverseMode();
  if (action.length === 2)
    await untilRunIsCalled(action, pgm, activity, `${migration.file.name}'s ${reverse ? 'up' : direction}(pgm, run)`);
  else await action(pgm);
  const transactional = pgm.isUsingTransaction();
  // Outside a transaction every statement must be a query of its own (a query of several is one
  // implicit transaction, which CREATE INDEX CONCURRENTLY refuses), however pgm.sql() was given them.
  // pgm.sql() ends a step with a `;` of its own, after the one the SQL had already (a stray `;`
  // line in what plan and review show): one is enough.
  const given = pgm.getSqlSteps().map((step) => step.replace(/;\s*;\s*$/, ';'));
  const steps = transactional ? given : given.flatMap((step) => splitStatements(step).map((statement) => `${statement};`));
  return { steps, transactional };
}
