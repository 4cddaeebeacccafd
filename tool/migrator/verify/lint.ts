/**
 * `migrate lint`: squawk (https://squawkhq.com) over the SQL each migration would execute, the
 * SQL that `migrate plan` extracts, so TypeScript migrations are judged as well as SQL ones, and
 * prefixed with the bounds the migrator sets for each migration (SET LOCAL lock_timeout and
 * statement_timeout), so that squawk sees what really runs. No database is needed: migrations
 * are built offline (one that reads the database to build its SQL is reported as such).
 *
 * Which migrations: the ones named, else every migration after the baseline in
 * migrations-lint.json (the history every installation has applied is not re-judged: a finding
 * there could only be fixed by a new migration). The rules are squawk's, minus those .squawk.toml
 * excludes with its reasons; both files are reviewed like code.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../../base/errors';
import { tempDir } from '../../base/temp';
import { oneLine } from '../../base/text';
import { MIGRATION_LOCK_TIMEOUT_MS, MIGRATION_STATEMENT_TIMEOUT_MS } from '../run/apply';
import { compareMigrations, versionOf, type MigrationFile, type MigrationsDirectory } from '../directory';
import type { Queryable } from '../history/bookkeeping';
import { historyAtBase } from '../history/at-base';
import { buildSql, migrationsInOrder } from '../directory/load';
import { locateInMigration, statementAt, type Place } from '../directory/place';
import { typeErrors } from './typecheck';

export interface LintFinding {
  migration: string;
  rule: string;
  level: string;
  message: string;
  help: string | null;
  /** The statement squawk points at, on one line. */
  statement: string;
  /** The migration's file (its base name). */
  file: string;
  /** The line of that file it is on: SQL migrations and type errors (a TypeScript migration's SQL
   * is built by its code). */
  line: number | null;
}

export interface LintOptions {
  migrations: MigrationsDirectory;
  /** The project root: where .squawk.toml and migrations-lint.json are. */
  projectDir: string;
  /** Migration names to lint; none: every one after the baseline. */
  names: string[];
}

export interface LintResult {
  linted: string[];
  baseline: string | null;
  findings: LintFinding[];
  /** The change judged against its base (history/at-base.ts): what migrate up would refuse there, or why
   * it was not judged. */
  history: { base: string | null; refusal: string | null; warnings: string[]; not_judged: string | null };
}

export const LINT_BASELINE_FILE = 'migrations-lint.json';

/** Exit status when squawk itself could not run or answer: not a finding, so CI can tell. */
export const EXIT_LINTER_FAILED = 3;

/** How to follow squawk's advice in this project's migrations. */
const CONCURRENTLY =
  'Here: call pgm.noTransaction() first; each statement then runs on its own, outside a transaction (docs/migrations.md, Writing a migration).';
const PROJECT_ADVICE: Record<string, string> = {
  'require-concurrent-index-creation': CONCURRENTLY,
  'require-concurrent-index-deletion': CONCURRENTLY,
};
export const SQUAWK_CONFIG_FILE = '.squawk.toml';

function readBaseline(projectDir: string): string | null {
  const file = path.join(projectDir, LINT_BASELINE_FILE);
  if (!fs.existsSync(file)) return null;
  try {
    const { baseline } = JSON.parse(fs.readFileSync(file, 'utf8')) as { baseline?: unknown };
    if (typeof baseline !== 'string' || versionOf(baseline) === undefined)
      throw new Error('expected { "baseline": "<migration name>", "why": "…" }');
    return baseline;
  } catch (error) {
    throw new UserError(`${file} is not valid: ${(error as Error).message}`);
  }
}

function selectFiles(files: MigrationFile[], options: LintOptions, baseline: string | null): MigrationFile[] {
  if (options.names.length > 0) {
    const byName = new Map(files.map((file) => [file.name, file]));
    const unknown = options.names.filter((name) => !byName.has(name));
    if (unknown.length > 0) throw new UserError(`no migration ${unknown.join(', ')} in ${options.migrations.path}`);
    return options.names.map((name) => byName.get(name)!);
  }
  if (baseline === null) return files;
  const through = { name: baseline, version: versionOf(baseline)! };
  return files.filter((file) => compareMigrations(file, through) > 0);
}

/** A database that is not there: a migration that reads one to build its SQL says so. */
const OFFLINE = {
  query: () =>
    Promise.reject(
      new UserError('it reads the database to build its SQL, which lint does not connect to; review its SQL with migrate plan'),
    ),
};

/** Each migration's SQL, built without a database (for lint and the review report). */
export async function offlineSql(files: MigrationFile[]): Promise<SqlToLint[]> {
  const built = [];
  for await (const { migration, shorthands } of migrationsInOrder(files)) {
    try {
      const sql = await buildSql(OFFLINE as unknown as Queryable, migration, 'up', shorthands);
      built.push({ name: migration.file.name, file: migration.file, ...sql });
    } catch (error) {
      throw new UserError(
        `cannot build the SQL of ${migration.file.name}: ${error instanceof Error ? oneLine(error.message) : String(error)}`,
      );
    }
  }
  return built;
}

function squawkBin(): string {
  try {
    return path.join(path.dirname(require.resolve('squawk-cli/package.json')), 'js', 'bin', 'squawk');
  } catch {
    throw new UserError('squawk-cli is not installed (a devDependency of this project): run npm ci', EXIT_LINTER_FAILED);
  }
}

interface SquawkViolation {
  file: string;
  line: number;
  column: number;
  line_end: number;
  column_end: number;
  level: string;
  message: string;
  help: string | null;
  rule_name: string;
}

/** squawk's findings for `files`; `inTransaction`: each file runs inside a transaction. */
function squawk(config: string, inTransaction: boolean, files: string[]): SquawkViolation[] {
  const args = [
    squawkBin(),
    ...(fs.existsSync(config) ? ['--config', config] : []),
    inTransaction ? '--assume-in-transaction' : '--no-assume-in-transaction',
    '--reporter',
    'json',
    ...files,
  ];
  const run = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (run.error) throw new UserError(`cannot run squawk: ${run.error.message}`, EXIT_LINTER_FAILED);
  // squawk exits 0 with no findings and 1 with some, their JSON on stdout; anything else (a bad
  // configuration exits 1 with nothing on stdout) is squawk failing, never "no finding".
  const failed = () =>
    new UserError(
      `squawk failed (exit ${run.status}): ${oneLine(run.stderr || run.stdout || 'no output').slice(0, 300)}`,
      EXIT_LINTER_FAILED,
    );
  if ((run.status !== 0 && run.status !== 1) || (run.status === 1 && run.stdout.trim() === '')) throw failed();
  try {
    const violations = JSON.parse(run.stdout || '[]') as unknown;
    if (!Array.isArray(violations)) throw new Error('not a list');
    return violations as SquawkViolation[];
  } catch {
    throw failed();
  }
}

/** The policy's verdict on the change against its base, in lint's terms. */
function judgeHistory(migrations: MigrationsDirectory): LintResult['history'] {
  const history = historyAtBase(migrations);
  if ('unavailable' in history) return { base: null, refusal: null, warnings: [], not_judged: history.unavailable };
  return { base: history.ref, refusal: history.verdict.refusal ?? null, warnings: history.verdict.warnings, not_judged: null };
}

/** What squawk is given: a migration's statements, as the migrator runs them. */
export interface SqlToLint {
  name: string;
  steps: string[];
  transactional: boolean;
  /** Its file, to say on which line of it a finding is. */
  file?: MigrationFile;
}

/** A finding, with the index (in `steps`) of the statement it is about. */
export type StepFinding = LintFinding & { step: number };

/**
 * squawk's findings on each migration's SQL, prefixed with the bounds the migrator sets for it
 * (SET LOCAL lock_timeout and statement_timeout: per transaction, or per session for a
 * pgm.noTransaction() migration), so that squawk sees what really runs. `projectDir` holds
 * .squawk.toml. Each finding says which of the migration's steps it is about.
 */
export function squawkFindings(sqls: SqlToLint[], projectDir: string): StepFinding[] {
  if (sqls.length === 0) return [];
  const work = tempDir('lint');
  try {
    const sqlFiles = new Map<string, { sql: SqlToLint; text: string; starts: number[] }>();
    for (const sql of sqls) {
      const scope = sql.transactional ? 'LOCAL ' : '';
      const lines = [
        `SET ${scope}lock_timeout = ${MIGRATION_LOCK_TIMEOUT_MS};`,
        `SET ${scope}statement_timeout = ${MIGRATION_STATEMENT_TIMEOUT_MS};`,
      ];
      const starts: number[] = [];
      for (const step of sql.steps) {
        starts.push(lines.length);
        lines.push(...step.split('\n'));
      }
      const text = lines.join('\n') + '\n';
      const file = path.join(work, `${sql.name}.sql`);
      fs.writeFileSync(file, text);
      sqlFiles.set(file, { sql, text, starts });
    }
    const config = path.join(projectDir, SQUAWK_CONFIG_FILE);
    const violations: SquawkViolation[] = [];
    for (const transactional of [true, false]) {
      const files = [...sqlFiles].filter(([, source]) => source.sql.transactional === transactional).map(([file]) => file);
      if (files.length > 0) violations.push(...squawk(config, transactional, files));
    }
    const findings = violations.map((v) => {
      const source = sqlFiles.get(v.file);
      const lines = (source?.text ?? '').split('\n');
      const slice = v.line === v.line_end ? lines[v.line]?.slice(v.column, v.column_end) : lines.slice(v.line, v.line_end + 1).join(' ');
      const step = (source?.starts ?? []).filter((start) => start <= v.line).length - 1;
      // The statement the finding is in (a syntax error points at a spot, not a range), and its
      // place in the migration's file.
      const stepText = step >= 0 ? source?.sql.steps[step] : undefined;
      let within: ReturnType<typeof statementAt>;
      let place: Place | undefined;
      if (stepText !== undefined) {
        // squawk's line and column, as an offset in the step: the step's lines before it, each with its newline.
        const before = stepText.split('\n').slice(0, v.line - source!.starts[step]);
        const at = before.reduce((sum, line) => sum + line.length + 1, 0) + v.column;
        within = statementAt(stepText, at);
        if (source!.sql.file) place = locateInMigration(source!.sql.file, 'up', stepText, at);
      }
      return {
        migration: source?.sql.name ?? path.basename(v.file, '.sql'),
        rule: v.rule_name,
        level: v.level.toLowerCase(),
        message: v.message,
        help: [v.help, PROJECT_ADVICE[v.rule_name]].filter(Boolean).join(' ') || null,
        statement: oneLine(slice?.trim() ? slice : (within?.text ?? '')),
        file: source?.sql.file ? path.basename(source.sql.file.path) : (source?.sql.name ?? path.basename(v.file)),
        line: place?.line ?? null,
        step,
      };
    });
    // A syntax error is one finding: the parser's recovery reports more in the same statement.
    const seen = new Set<string>();
    return findings.filter((finding) => {
      if (finding.rule !== 'syntax-error') return true;
      const key = `${finding.migration}\0${finding.step}\0${finding.statement}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

export async function lintMigrations(options: LintOptions): Promise<LintResult> {
  const baseline = readBaseline(options.projectDir);
  const selected = selectFiles(options.migrations.files(), options, baseline);
  const history = judgeHistory(options.migrations);
  if (selected.length === 0) return { linted: [], baseline, findings: [], history };
  // Type errors first: a migration that has them would fail while its SQL is built.
  const typeFindings: LintFinding[] = typeErrors(selected, options.projectDir, EXIT_LINTER_FAILED).map((error) => ({
    migration: error.file.name,
    rule: 'type-error',
    level: 'error',
    message: error.message,
    help: 'tsc reports the same (npm run build); fix the migration before it runs',
    statement: error.text,
    file: path.basename(error.file.path),
    line: error.line,
  }));
  const mistyped = new Set(typeFindings.map((finding) => finding.migration));
  const sql = await offlineSql(selected.filter((file) => !mistyped.has(file.name)));
  const findings = [...typeFindings, ...squawkFindings(sql, options.projectDir).map(({ step: _step, ...finding }) => finding)];
  return { linted: selected.map((file) => file.name), baseline, findings, history };
}
