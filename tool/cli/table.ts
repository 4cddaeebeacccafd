/**
 * The one definition of every usualstore-db command: its words, what it does, its arguments and
 * options with their defaults. Parsing, the usage, each command's --help and the suggestions for
 * a mistyped command all come from here, so the help cannot drift from what the parser accepts.
 * Handlers are loaded on demand: `migrate up` runs in every deploy and pays only for itself.
 */
import type { CommandSpec, Handler } from './command';
import { OPTIONS, type CommandName } from './options';

/** A command of the table: its words are its name, its options those OPTIONS gives that name,
 * its handler typed from them. */
function command<Name extends CommandName>(
  name: Name,
  spec: Omit<CommandSpec, 'words' | 'options' | 'handler'> & { handler: () => Promise<Handler<(typeof OPTIONS)[Name]>> },
): CommandSpec {
  // The table holds commands of every kind of options: the parser hands each handler the values
  // of its own (parse.ts), which is what the erasure below stands for.
  return { ...spec, words: name.split(' '), options: OPTIONS[name], handler: spec.handler as unknown as CommandSpec['handler'] };
}

export const COMMANDS: CommandSpec[] = [
  command('migrate up', {
    summary: 'apply every pending migration, each in its own transaction',
    details: 'What the deploy runs. Refuses while an applied migration is edited or a pending one is older than the newest applied.',
    connects: true,
    insteadOf: {
      'dry-run':
        'migrate plan shows what migrate up would run, verified in a transaction it rolls back (--print-only: runs nothing at all)',
    },
    handler: async () => (await import('./commands/migrate/up.js')).run,
  }),
  command('migrate down', {
    summary: 'revert the newest applied migrations, newest first',
    details: 'Shows what it will revert and asks; --yes in scripts.',
    connects: true,
    handler: async () => (await import('./commands/migrate/down.js')).run,
  }),
  command('migrate status', {
    summary: 'applied, pending, edited and missing migrations, as a table',
    connects: true,
    exitCodes: '0 (with --check: the database is at the directory, nothing wrong), 2 with --check otherwise, 1 an error',
    handler: async () => (await import('./commands/migrate/status.js')).run,
  }),
  command('migrate create', {
    summary: 'write a new, empty migration that sorts after every existing one',
    positionals: [{ name: 'NAME', required: true }],
    handler: async () => (await import('./commands/migrate/create.js')).run,
  }),
  command('migrate plan', {
    summary: 'print the SQL migrate up would run, verified in a rolled-back transaction',
    details:
      'On a development database (this machine, not named like production) verifying takes the locks the migrations take there (bounded by --lock-timeout); a live one is verified on a schema-only copy on its own server, never in place (printed only where no copy can be made). --print-only touches nothing.',
    connects: true,
    exitCodes: '0 nothing pending, 2 pending (and all of it runs), 1 error',
    handler: async () => (await import('./commands/migrate/plan.js')).run,
  }),
  command('migrate rehearse', {
    summary:
      'apply the pending migrations to a copy of the database under a workload, and report what each statement locked, wrote and cost the workload',
    details:
      'Never runs on the target: by default a scratch copy on its server (schema and rows; --sample for big tables), dropped afterwards; or --on a copy you made. Markdown with charts, or --json; --max-app-wait makes it a CI gate.',
    connects: true,
    exitCodes:
      '0 rehearsed (or nothing pending), 2 the workload waited longer than --max-app-wait, 1 an error or a migration that fails on the copy',
    handler: async () => (await import('./commands/migrate/rehearse.js')).run,
  }),
  command('migrate lint', {
    summary: 'squawk over the SQL each migration would run (the ones named, else those after the baseline)',
    details:
      'Flags statements that hold long locks, rewrite tables, add constraints without NOT VALID, and more. Rules: .squawk.toml; baseline: migrations-lint.json. No database needed.',
    positionals: [{ name: 'NAME', required: false, many: true }],
    exitCodes: '0 nothing that fails, 1 a finding at --fail-on or above, or a change migrate up would refuse, 3 the linter itself failed',
    handler: async () => (await import('./commands/migrate/lint.js')).run,
  }),
  command('migrate drift', {
    summary: 'compare the live schema with what its applied migrations build; list every difference',
    details:
      'Tables, columns (type, NOT NULL, default), constraints and indexes, both ways. Builds in a scratch schema inside a rolled-back transaction: changes nothing.',
    connects: true,
    exitCodes: '0 no drift, 2 drift, 1 an error',
    handler: async () => (await import('./commands/migrate/drift.js')).run,
  }),
  command('migrate adopt', {
    summary: 'take over a database migrated by soda: check its schema, record its migrations as applied',
    connects: true,
    handler: async () => (await import('./commands/migrate/adopt.js')).run,
  }),
  command('migrate baseline', {
    summary: 'take over a database built by hand or by another tool: check its schema, record the migrations up to VERSION as applied',
    details:
      'The schema must hold what those migrations build (compared in a rolled-back scratch schema); nothing is run. For a database with no migration history (a soda one: migrate adopt). Kept in the audit trail.',
    connects: true,
    handler: async () => (await import('./commands/migrate/adopt.js')).baseline,
  }),
  command('migrate accept', {
    summary: 'accept a reviewed edit of an applied migration: record its new checksum',
    details:
      'For an edit that changes nothing the database must redo (a comment, a fix to down). Kept in the audit trail (migrate status shows it).',
    connects: true,
    positionals: [{ name: 'NAME', required: true, many: true }],
    handler: async () => (await import('./commands/migrate/repair.js')).accept,
  }),
  command('migrate forget', {
    summary: 'forget the record of an applied migration whose file was deleted',
    details: 'Changes only the bookkeeping (not the schema). Kept in the audit trail (migrate status shows it).',
    connects: true,
    positionals: [{ name: 'NAME', required: true, many: true }],
    handler: async () => (await import('./commands/migrate/repair.js')).forget,
  }),
  command('reset', {
    summary:
      'a development database made anew: drop the public schema, apply every migration from zero, then the seeds, in one transaction',
    details:
      'Refuses a database that is not clearly a development one (on this machine, not named like production) unless --confirm-database names it. Shows what goes and asks; --yes in scripts.',
    connects: true,
    handler: async () => (await import('./commands/reset.js')).reset,
  }),
  command('seed', {
    summary: 'apply the seeds (seeds/*.sql: development and demo data) in one transaction; twice changes nothing',
    details:
      'Never run by migrate up or a deploy. Refuses a database that is not clearly a development one unless --confirm-database names it.',
    connects: true,
    handler: async () => (await import('./commands/reset.js')).seed,
  }),
  command('schema dump', {
    summary: "write the database's schema as SQL (schema.sql: what a reviewer reads; the tests check it is what the migrations build)",
    details:
      "pg_dump of the public schema, structure only, without owners, privileges, the migration bookkeeping and pg_dump's version noise; then the applied migrations by name.",
    connects: true,
    positionals: [{ name: 'FILE', required: false }],
    handler: async () => (await import('./commands/schema.js')).dump,
  }),
  command('status', {
    summary: 'health, connections, sizes, migrations and warnings of the database',
    connects: true,
    exitCodes: '0 reachable, 1 not',
    handler: async () => (await import('./commands/status.js')).run,
  }),
  command('backup', {
    summary: "write a pg_dump custom-format archive of the database ('-': to stdout)",
    connects: true,
    positionals: [{ name: 'FILE', required: true }],
    handler: async () => (await import('./commands/backup.js')).run,
  }),
  command('restore', {
    summary: "restore a backup (custom format, or a plain SQL dump; gzip or not; '-': from stdin) in one transaction",
    details:
      "Only into a database with no tables, unless --force: then the archive's objects are dropped and re-created (it shows what and asks; --yes in scripts).",
    connects: true,
    positionals: [{ name: 'FILE', required: true }],
    handler: async () => (await import('./commands/restore.js')).run,
  }),
  command('copy', {
    summary: 'copy this database into an empty one (production): dump, restore in one transaction, compare row counts',
    details:
      'The target must have no tables (nothing is overwritten). The source is --database-url, DATABASE_URL or the deployed database.',
    connects: true,
    handler: async () => (await import('./commands/copy.js')).run,
  }),
  command('shell', {
    summary: 'psql into the database; with SQL piped in, stops at the first error',
    connects: true,
    passThrough: 'PSQL_ARGS',
    handler: async () => (await import('./commands/shell.js')).run,
  }),
  command('review', {
    summary: 'a Markdown report of what this change will do: resources, migrations and their SQL, lint, drift',
    details:
      "Compares this checkout with the merge base (a git worktree of it, synthesized the same way). With --database-url or DATABASE_URL, adds that database's drift.",
    connects: 'explicit',
    handler: async () => (await import('./commands/review.js')).run,
  }),
  command('deploy', {
    summary:
      "npm run deploy: the app synthesized (with the deploy's checks), then terraform apply of each stack in order (init only when needed)",
    details:
      "Terraform itself, per stack in cdktf.out/stacks/; refuses, before Terraform starts, what the stacks' preconditions refuse (cdktf deploy works on the same files and state, and refuses the same).",
    handler: async () => (await import('./commands/deploy.js')).deploy,
  }),
  command('destroy', {
    summary: 'npm run destroy: the database stack destroyed (the container and network); the data volume stays',
    handler: async () => (await import('./commands/deploy.js')).destroy,
  }),
  command('preflight', {
    summary: "the deploy's checks (made by every synth), now, with what they found",
    positionals: [{ name: 'deploy|destroy|wipe', required: true }],
    handler: async () => (await import('./commands/preflight.js')).run,
  }),
  command('password sync', {
    summary: "make the deployed server take the deploy's password (set over the container's local socket when it refuses it)",
    details:
      'Run by the database stack after it creates the container: a new container on an existing volume keeps the password its database was created with.',
    connects: true,
    handler: async () => (await import('./commands/password.js')).sync,
  }),
];
