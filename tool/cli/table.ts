/**
 * The one definition of every usualstore-db command: its words, what it does, its arguments and
 * options with their defaults. Parsing, the usage, each command's --help and the suggestions for
 * a mistyped command all come from here, so the help cannot drift from what the parser accepts.
 * Handlers are loaded on demand: `migrate up` runs in every deploy and pays only for itself.
 */
import type { CommandSpec, OptionSpec } from './command';

const MIGRATIONS_DIR: Record<string, OptionSpec> = {
  'migrations-dir': {
    type: 'string',
    kind: 'path',
    value: 'DIR',
    description: 'the migrations directory',
    otherwise: "this project's migrations/",
  },
};
const LOCK_TIMEOUT = (seconds: number, what = 'the migration lock'): Record<string, OptionSpec> => ({
  'lock-timeout': {
    type: 'string',
    kind: 'seconds',
    value: 'SECONDS',
    description: `how long to wait for ${what}`,
    default: String(seconds),
  },
});
const LOCK_RETRIES: Record<string, OptionSpec> = {
  'lock-retries': {
    type: 'string',
    kind: 'whole',
    value: 'N',
    description:
      "try a migration again this many times when a lock wait ran out (an application's transaction held its table), pausing 0.5 s, 1 s, 2 s… (±50%) between tries",
    default: '3',
  },
};
const INDEX_WAIT: Record<string, OptionSpec> = {
  'index-wait': {
    type: 'string',
    kind: 'seconds',
    value: 'SECONDS',
    description:
      'how long a CREATE INDEX CONCURRENTLY may wait for older transactions to end (it blocks neither reads nor writes meanwhile); one that fails has its INVALID index dropped',
    default: '300',
  },
};
/** A repair of the bookkeeping always says why (the audit trail keeps it). */
const REASON: Record<string, OptionSpec> = {
  reason: { type: 'string', value: 'TEXT', description: 'why, for the audit trail', required: true },
};
const CONFIRM_DATABASE: Record<string, OptionSpec> = {
  'confirm-database': {
    type: 'string',
    value: 'NAME',
    description: "the target's database name, typed out: allows one that is not clearly a development database",
  },
};
const SEEDS_DIR: Record<string, OptionSpec> = {
  'seeds-dir': { type: 'string', kind: 'path', value: 'DIR', description: 'the seeds directory', otherwise: "this project's seeds/" },
};
const JSON_OUTPUT: Record<string, OptionSpec> = { json: { type: 'boolean', description: 'print JSON (snake_case keys) instead of text' } };
const YES: Record<string, OptionSpec> = {
  yes: { type: 'boolean', short: 'y', description: 'do not ask (scripts); without a terminal to ask at, it is required' },
};
const ALLOW_EDITED: Record<string, OptionSpec> = {
  'allow-edited': {
    type: 'boolean',
    description: 'run this once despite applied migrations edited since (migrate accept records an edit for good)',
  },
};

export const COMMANDS: CommandSpec[] = [
  {
    words: ['migrate', 'up'],
    summary: 'apply every pending migration, each in its own transaction',
    details: 'What the deploy runs. Refuses while an applied migration is edited or a pending one is older than the newest applied.',
    connects: true,
    options: {
      ...MIGRATIONS_DIR,
      wait: {
        type: 'string',
        kind: 'seconds',
        value: 'SECONDS',
        description: 'wait this long for the server to accept connections',
        otherwise: 'do not wait',
      },
      to: {
        type: 'string',
        value: 'VERSION',
        description: 'apply the pending migrations up to and including this one (its version or name)',
        otherwise: 'every pending one',
      },
      ...LOCK_TIMEOUT(60),
      ...LOCK_RETRIES,
      ...INDEX_WAIT,
      ...ALLOW_EDITED,
    },
    handler: async () => (await import('./commands/migrate/up.js')).run,
  },
  {
    words: ['migrate', 'down'],
    summary: 'revert the newest applied migrations, newest first',
    details: 'Shows what it will revert and asks; --yes in scripts.',
    connects: true,
    options: {
      count: { type: 'string', kind: 'count', value: 'N', description: 'revert the newest N (at most the number applied)' },
      to: {
        type: 'string',
        value: 'VERSION',
        description: 'revert every migration applied after this one (its version or name), which stays applied',
      },
      all: { type: 'boolean', description: 'revert every applied migration' },
      ...YES,
      ...MIGRATIONS_DIR,
      ...LOCK_TIMEOUT(60),
      ...LOCK_RETRIES,
      ...ALLOW_EDITED,
    },
    handler: async () => (await import('./commands/migrate/down.js')).run,
  },
  {
    words: ['migrate', 'status'],
    summary: 'applied, pending, edited and missing migrations, as a table',
    connects: true,
    options: {
      ...JSON_OUTPUT,
      ...MIGRATIONS_DIR,
      check: {
        type: 'boolean',
        description:
          'a CI gate: exit 2 unless every migration of the directory is applied, none edited, missing or out of order, and migrate up would refuse nothing',
      },
    },
    exitCodes: '0 (with --check: the database is at the directory, nothing wrong), 2 with --check otherwise, 1 an error',
    handler: async () => (await import('./commands/migrate/status.js')).run,
  },
  {
    words: ['migrate', 'create'],
    summary: 'write a new, empty migration that sorts after every existing one',
    positionals: [{ name: 'NAME', required: true }],
    options: {
      sql: { type: 'boolean', description: 'an SQL migration (-- Up Migration / -- Down Migration) instead of TypeScript' },
      ...MIGRATIONS_DIR,
    },
    handler: async () => (await import('./commands/migrate/create.js')).run,
  },
  {
    words: ['migrate', 'plan'],
    summary: 'print the SQL migrate up would run, verified in a rolled-back transaction',
    details:
      'On a development database (this machine, not named like production) verifying takes the locks the migrations take there (bounded by --lock-timeout); a live one is verified on a schema-only copy on its own server, never in place (printed only where no copy can be made). --print-only touches nothing.',
    connects: true,
    options: {
      'print-only': { type: 'boolean', description: 'only print the SQL: run nothing, take no lock (for a shared database)' },
      live: { type: 'boolean', description: 'treat the database as live (verify on a copy) whatever its address says' },
      ...MIGRATIONS_DIR,
      ...LOCK_TIMEOUT(5),
      ...ALLOW_EDITED,
    },
    exitCodes: '0 nothing pending, 2 pending (and all of it runs), 1 error',
    handler: async () => (await import('./commands/migrate/plan.js')).run,
  },
  {
    words: ['migrate', 'rehearse'],
    summary:
      'apply the pending migrations to a copy of the database under a workload, and report what each statement locked, wrote and cost the workload',
    details:
      'Never runs on the target: by default a scratch copy on its server (schema and rows; --sample for big tables), dropped afterwards; or --on a copy you made. Markdown with charts, or --json; --max-app-wait makes it a CI gate.',
    connects: true,
    options: {
      on: {
        type: 'string',
        kind: 'text',
        value: 'URL',
        description: 'rehearse on this copy (an RDS snapshot restored to a temporary instance), used as it is and left to you',
        otherwise: "a scratch copy on the target's server, dropped afterwards",
      },
      sample: {
        type: 'string',
        kind: 'text',
        value: 'PERCENT',
        description: "copy this percentage of each table's rows (TABLESAMPLE)",
        otherwise: 'every row',
      },
      workload: {
        type: 'string',
        kind: 'path',
        value: 'FILE',
        description: 'statements to run meanwhile, each optionally after a line -- params: SELECT … whose rows its $1, $2… are drawn from',
        otherwise: 'reads and writes by primary key of every table the pending migrations touch',
      },
      clients: { type: 'string', kind: 'count', value: 'N', description: "the workload's connections", default: '4' },
      rate: {
        type: 'string',
        kind: 'count',
        value: 'N',
        description: "the workload's requests per second, all connections together",
        default: '100',
      },
      'max-app-wait': {
        type: 'string',
        kind: 'whole',
        value: 'MS',
        description: 'a CI gate: exit 2, naming the statement, when the workload waited longer than this during one',
      },
      ...JSON_OUTPUT,
      ...MIGRATIONS_DIR,
      ...LOCK_TIMEOUT(60),
      ...LOCK_RETRIES,
      ...INDEX_WAIT,
      ...ALLOW_EDITED,
    },
    exitCodes:
      '0 rehearsed (or nothing pending), 2 the workload waited longer than --max-app-wait, 1 an error or a migration that fails on the copy',
    handler: async () => (await import('./commands/migrate/rehearse.js')).run,
  },
  {
    words: ['migrate', 'lint'],
    summary: 'squawk over the SQL each migration would run (the ones named, else those after the baseline)',
    details:
      'Flags statements that hold long locks, rewrite tables, add constraints without NOT VALID, and more. Rules: .squawk.toml; baseline: migrations-lint.json. No database needed.',
    positionals: [{ name: 'NAME', required: false, many: true }],
    options: {
      ...JSON_OUTPUT,
      ...MIGRATIONS_DIR,
      'fail-on': {
        type: 'string',
        value: 'LEVEL',
        description: "the lowest level of finding that fails: warning (every finding) or error (squawk's errors only)",
        choices: ['warning', 'error'],
        default: 'warning',
      },
    },
    exitCodes: '0 nothing that fails, 1 a finding at --fail-on or above, or a change migrate up would refuse, 3 the linter itself failed',
    handler: async () => (await import('./commands/migrate/lint.js')).run,
  },
  {
    words: ['migrate', 'drift'],
    summary: 'compare the live schema with what its applied migrations build; list every difference',
    details:
      'Tables, columns (type, NOT NULL, default), constraints and indexes, both ways. Builds in a scratch schema inside a rolled-back transaction: changes nothing.',
    connects: true,
    options: { ...JSON_OUTPUT, ...MIGRATIONS_DIR, ...LOCK_TIMEOUT(5, 'a lock') },
    exitCodes: '0 no drift, 2 drift, 1 an error',
    handler: async () => (await import('./commands/migrate/drift.js')).run,
  },
  {
    words: ['migrate', 'adopt'],
    summary: 'take over a database migrated by soda: check its schema, record its migrations as applied',
    connects: true,
    options: { ...MIGRATIONS_DIR, ...LOCK_TIMEOUT(60) },
    handler: async () => (await import('./commands/migrate/adopt.js')).run,
  },
  {
    words: ['migrate', 'baseline'],
    summary: 'take over a database built by hand or by another tool: check its schema, record the migrations up to VERSION as applied',
    details:
      'The schema must hold what those migrations build (compared in a rolled-back scratch schema); nothing is run. For a database with no migration history (a soda one: migrate adopt). Kept in the audit trail.',
    connects: true,
    options: {
      to: {
        type: 'string',
        value: 'VERSION',
        description: 'the newest migration the database already holds (its version or name)',
        required: true,
      },
      ...REASON,
      ...MIGRATIONS_DIR,
      ...LOCK_TIMEOUT(60),
    },
    handler: async () => (await import('./commands/migrate/adopt.js')).baseline,
  },
  {
    words: ['migrate', 'accept'],
    summary: 'accept a reviewed edit of an applied migration: record its new checksum',
    details:
      'For an edit that changes nothing the database must redo (a comment, a fix to down). Kept in the audit trail (migrate status shows it).',
    connects: true,
    positionals: [{ name: 'NAME', required: true, many: true }],
    options: { ...REASON, ...MIGRATIONS_DIR, ...LOCK_TIMEOUT(60) },
    handler: async () => (await import('./commands/migrate/repair.js')).accept,
  },
  {
    words: ['migrate', 'forget'],
    summary: 'forget the record of an applied migration whose file was deleted',
    details: 'Changes only the bookkeeping (not the schema). Kept in the audit trail (migrate status shows it).',
    connects: true,
    positionals: [{ name: 'NAME', required: true, many: true }],
    options: { ...REASON, ...MIGRATIONS_DIR, ...LOCK_TIMEOUT(60) },
    handler: async () => (await import('./commands/migrate/repair.js')).forget,
  },
  {
    words: ['reset'],
    summary:
      'a development database made anew: drop the public schema, apply every migration from zero, then the seeds, in one transaction',
    details:
      'Refuses a database that is not clearly a development one (on this machine, not named like production) unless --confirm-database names it. Shows what goes and asks; --yes in scripts.',
    connects: true,
    options: {
      ...CONFIRM_DATABASE,
      ...YES,
      ...MIGRATIONS_DIR,
      ...SEEDS_DIR,
      ...LOCK_TIMEOUT(60, 'each lock (an application holding a table)'),
    },
    handler: async () => (await import('./commands/reset.js')).reset,
  },
  {
    words: ['seed'],
    summary: 'apply the seeds (seeds/*.sql: development and demo data) in one transaction; twice changes nothing',
    details:
      'Never run by migrate up or a deploy. Refuses a database that is not clearly a development one unless --confirm-database names it.',
    connects: true,
    options: { ...CONFIRM_DATABASE, ...MIGRATIONS_DIR, ...SEEDS_DIR, ...LOCK_TIMEOUT(60, 'each lock') },
    handler: async () => (await import('./commands/reset.js')).seed,
  },
  {
    words: ['schema', 'dump'],
    summary: "write the database's schema as SQL (schema.sql: what a reviewer reads; the tests check it is what the migrations build)",
    details:
      "pg_dump of the public schema, structure only, without owners, privileges, the migration bookkeeping and pg_dump's version noise; then the applied migrations by name.",
    connects: true,
    positionals: [{ name: 'FILE', required: false }],
    options: { ...MIGRATIONS_DIR },
    handler: async () => (await import('./commands/schema.js')).dump,
  },
  {
    words: ['status'],
    summary: 'health, connections, sizes, migrations and warnings of the database',
    connects: true,
    options: { ...JSON_OUTPUT, ...MIGRATIONS_DIR },
    exitCodes: '0 reachable, 1 not',
    handler: async () => (await import('./commands/status.js')).run,
  },
  {
    words: ['backup'],
    summary: "write a pg_dump custom-format archive of the database ('-': to stdout)",
    connects: true,
    positionals: [{ name: 'FILE', required: true }],
    options: {
      force: { type: 'boolean', description: 'replace an existing FILE (only once the new one is complete)' },
      table: { type: 'string', kind: 'text', value: 'NAME', description: 'only this table (pg_dump --table), e.g. users' },
      verify: {
        type: 'boolean',
        description: "restore the archive into a scratch database and compare every table's rows with the source before FILE is written",
      },
      ...LOCK_TIMEOUT(60, 'each table'),
    },
    handler: async () => (await import('./commands/backup.js')).run,
  },
  {
    words: ['restore'],
    summary: "restore a backup (custom format, or a plain SQL dump; gzip or not; '-': from stdin) in one transaction",
    details:
      "Only into a database with no tables, unless --force: then the archive's objects are dropped and re-created (it shows what and asks; --yes in scripts).",
    connects: true,
    positionals: [{ name: 'FILE', required: true }],
    options: {
      force: { type: 'boolean', description: "replace the archive's objects in a database that has tables" },
      create: { type: 'boolean', description: 'create the database first (it must not exist; dropped again if the restore fails)' },
      ...YES,
      ...LOCK_TIMEOUT(60, 'each table'),
    },
    handler: async () => (await import('./commands/restore.js')).run,
  },
  {
    words: ['copy'],
    summary: 'copy this database into an empty one (production): dump, restore in one transaction, compare row counts',
    details:
      'The target must have no tables (nothing is overwritten). The source is --database-url, DATABASE_URL or the deployed database.',
    connects: true,
    options: {
      to: {
        type: 'string',
        kind: 'text',
        value: 'URL',
        description:
          'the target, postgres://USER@HOST:PORT/DATABASE (password in the URL or PGPASSWORD; ?sslmode=verify-full&sslrootcert=FILE for RDS)',
      },
      ...LOCK_TIMEOUT(60, 'each table'),
    },
    handler: async () => (await import('./commands/copy.js')).run,
  },
  {
    words: ['shell'],
    summary: 'psql into the database; with SQL piped in, stops at the first error',
    connects: true,
    passThrough: 'PSQL_ARGS',
    handler: async () => (await import('./commands/shell.js')).run,
  },
  {
    words: ['review'],
    summary: 'a Markdown report of what this change will do: resources, migrations and their SQL, lint, drift',
    details:
      "Compares this checkout with the merge base (a git worktree of it, synthesized the same way). With --database-url or DATABASE_URL, adds that database's drift.",
    connects: 'explicit',
    options: {
      base: {
        type: 'string',
        value: 'REF',
        description: 'the git ref to compare with',
        otherwise: 'the merge base with origin/main, else main',
      },
      junit: {
        type: 'string',
        kind: 'path',
        value: 'FILE',
        description: 'also write the checks (lint, what migrate up would refuse, drift) as a JUnit report for CI',
      },
      live: { type: 'boolean', description: 'treat the database given as live (its plan verified on a copy) whatever its address says' },
      on: {
        type: 'string',
        kind: 'text',
        value: 'URL',
        description:
          'a copy of the database given: rehearse the pending migrations on it under a workload (migrate rehearse) and add the report',
      },
      ...LOCK_TIMEOUT(5, 'a lock while judging drift'),
    },
    handler: async () => (await import('./commands/review.js')).run,
  },
  {
    words: ['deploy'],
    summary:
      "npm run deploy: the app synthesized (with the deploy's checks), then terraform apply of each stack in order (init only when needed)",
    details:
      "Terraform itself, per stack in cdktf.out/stacks/; refuses, before Terraform starts, what the stacks' preconditions refuse (cdktf deploy works on the same files and state, and refuses the same).",
    handler: async () => (await import('./commands/deploy.js')).deploy,
  },
  {
    words: ['destroy'],
    summary: 'npm run destroy: the database stack destroyed (the container and network); the data volume stays',
    options: {
      'with-data': { type: 'boolean', description: 'the data stack too, volume and all: only through npm run wipe, which asks first' },
    },
    handler: async () => (await import('./commands/deploy.js')).destroy,
  },
  {
    words: ['preflight'],
    summary: "the deploy's checks (made by every synth), now, with what they found",
    positionals: [{ name: 'deploy|destroy|wipe', required: true }],
    handler: async () => (await import('./commands/preflight.js')).run,
  },
  {
    words: ['password', 'sync'],
    summary: "make the deployed server take the deploy's password (set over the container's local socket when it refuses it)",
    details:
      'Run by the database stack after it creates the container: a new container on an existing volume keeps the password its database was created with.',
    connects: true,
    options: {
      wait: {
        type: 'string',
        kind: 'seconds',
        value: 'SECONDS',
        description: 'wait this long for the server to accept connections',
        default: '120',
      },
    },
    handler: async () => (await import('./commands/password.js')).sync,
  },
];

/** Options every command takes. */
export const GLOBAL_OPTIONS: Record<string, OptionSpec> = {
  help: { type: 'boolean', short: 'h', description: 'show this help' },
};

/** Options of the commands that connect. */
export const CONNECTION_OPTIONS: Record<string, OptionSpec> = {
  'database-url': {
    type: 'string',
    value: 'URL',
    description: 'postgres://USER@HOST:PORT/DATABASE (password in PGPASSWORD or the URL, percent-encoded)',
    otherwise: 'DATABASE_URL, else the deployed database',
  },
};
