/**
 * Every command's options, with their defaults: the parser reads the command line against them
 * (parse.ts), the help shows them, and each handler's input is typed from them (command.ts,
 * CommandInput): a handler that reads an option its command does not declare, or reads it as the
 * wrong kind, does not compile. The commands themselves (words, summaries, handlers) are in
 * table.ts, which takes its options from here by the command's name.
 */
import type { CommandInput, Options } from './command';

const MIGRATIONS_DIR = {
  'migrations-dir': {
    type: 'string',
    kind: 'path',
    value: 'DIR',
    description: 'the migrations directory',
    otherwise: "this project's migrations/",
  },
} as const satisfies Options;
const LOCK_TIMEOUT = (seconds: number, what = 'the migration lock') =>
  ({
    'lock-timeout': {
      type: 'string',
      kind: 'seconds',
      value: 'SECONDS',
      description: `how long to wait for ${what}`,
      default: String(seconds),
    },
  }) as const satisfies Options;
const LOCK_RETRIES = {
  'lock-retries': {
    type: 'string',
    kind: 'whole',
    value: 'N',
    description:
      "try a migration again this many times when a lock wait ran out (an application's transaction held its table), pausing 0.5 s, 1 s, 2 s… (±50%) between tries",
    default: '3',
  },
} as const satisfies Options;
const INDEX_WAIT = {
  'index-wait': {
    type: 'string',
    kind: 'seconds',
    value: 'SECONDS',
    description:
      'how long a CREATE INDEX CONCURRENTLY may wait for older transactions to end (it blocks neither reads nor writes meanwhile); one that fails has its INVALID index dropped',
    default: '300',
  },
} as const satisfies Options;
/** A repair of the bookkeeping always says why (the audit trail keeps it). */
const REASON = {
  reason: { type: 'string', value: 'TEXT', description: 'why, for the audit trail', required: true },
} as const satisfies Options;
const CONFIRM_DATABASE = {
  'confirm-database': {
    type: 'string',
    value: 'NAME',
    description: "the target's database name, typed out: allows one that is not clearly a development database",
  },
} as const satisfies Options;
const SEEDS_DIR = {
  'seeds-dir': { type: 'string', kind: 'path', value: 'DIR', description: 'the seeds directory', otherwise: "this project's seeds/" },
} as const satisfies Options;
const JSON_OUTPUT = { json: { type: 'boolean', description: 'print JSON (snake_case keys) instead of text' } } as const satisfies Options;
const YES = {
  yes: { type: 'boolean', short: 'y', description: 'do not ask (scripts); without a terminal to ask at, it is required' },
} as const satisfies Options;
const ALLOW_EDITED = {
  'allow-edited': {
    type: 'boolean',
    description: 'run this once despite applied migrations edited since (migrate accept records an edit for good)',
  },
} as const satisfies Options;

/** Options every command takes. */
export const GLOBAL_OPTIONS = {
  help: { type: 'boolean', short: 'h', description: 'show this help' },
  version: { type: 'boolean', short: 'V', description: 'print the version' },
} as const satisfies Options;

/** Options of the commands that connect. */
export const CONNECTION_OPTIONS = {
  'database-url': {
    type: 'string',
    value: 'URL',
    description: 'postgres://USER@HOST:PORT/DATABASE (password in PGPASSWORD or the URL, percent-encoded)',
    otherwise: 'DATABASE_URL, else the deployed database',
  },
} as const satisfies Options;

/** Each command's own options, by its name (its words). */
export const OPTIONS = {
  'migrate up': {
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
  'migrate down': {
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
  'migrate status': {
    ...JSON_OUTPUT,
    ...MIGRATIONS_DIR,
    check: {
      type: 'boolean',
      description:
        'a CI gate: exit 2 unless every migration of the directory is applied, none edited, missing or out of order, and migrate up would refuse nothing',
    },
  },
  'migrate create': {
    sql: { type: 'boolean', description: 'an SQL migration (-- Up Migration / -- Down Migration) instead of TypeScript' },
    ...MIGRATIONS_DIR,
  },
  'migrate plan': {
    'print-only': { type: 'boolean', description: 'only print the SQL: run nothing, take no lock (for a shared database)' },
    live: { type: 'boolean', description: 'treat the database as live (verify on a copy) whatever its address says' },
    ...MIGRATIONS_DIR,
    ...LOCK_TIMEOUT(5),
    ...ALLOW_EDITED,
  },
  'migrate rehearse': {
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
  'migrate lint': {
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
  'migrate drift': { ...JSON_OUTPUT, ...MIGRATIONS_DIR, ...LOCK_TIMEOUT(5, 'a lock') },
  'migrate adopt': { ...MIGRATIONS_DIR, ...LOCK_TIMEOUT(60) },
  'migrate baseline': {
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
  'migrate accept': { ...REASON, ...MIGRATIONS_DIR, ...LOCK_TIMEOUT(60) },
  'migrate forget': { ...REASON, ...MIGRATIONS_DIR, ...LOCK_TIMEOUT(60) },
  reset: {
    ...CONFIRM_DATABASE,
    ...YES,
    ...MIGRATIONS_DIR,
    ...SEEDS_DIR,
    ...LOCK_TIMEOUT(60, 'each lock (an application holding a table)'),
  },
  seed: { ...CONFIRM_DATABASE, ...MIGRATIONS_DIR, ...SEEDS_DIR, ...LOCK_TIMEOUT(60, 'each lock') },
  'schema dump': { ...MIGRATIONS_DIR },
  status: { ...JSON_OUTPUT, ...MIGRATIONS_DIR },
  backup: {
    force: { type: 'boolean', description: 'replace an existing FILE (only once the new one is complete)' },
    table: { type: 'string', kind: 'text', value: 'NAME', description: 'only this table (pg_dump --table), e.g. users' },
    verify: {
      type: 'boolean',
      description: "restore the archive into a scratch database and compare every table's rows with the source before FILE is written",
    },
    ...LOCK_TIMEOUT(60, 'each table'),
  },
  restore: {
    force: { type: 'boolean', description: "replace the archive's objects in a database that has tables" },
    create: { type: 'boolean', description: 'create the database first (it must not exist; dropped again if the restore fails)' },
    ...YES,
    ...LOCK_TIMEOUT(60, 'each table'),
  },
  copy: {
    to: {
      type: 'string',
      kind: 'text',
      value: 'URL',
      description:
        'the target, postgres://USER@HOST:PORT/DATABASE (password in the URL or PGPASSWORD; ?sslmode=verify-full&sslrootcert=FILE for RDS)',
    },
    ...LOCK_TIMEOUT(60, 'each table'),
  },
  shell: {},
  review: {
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
  deploy: {},
  destroy: {
    'with-data': { type: 'boolean', description: 'the data stack too, volume and all: only through npm run wipe, which asks first' },
  },
  preflight: {},
  'password sync': {
    wait: {
      type: 'string',
      kind: 'seconds',
      value: 'SECONDS',
      description: 'wait this long for the server to accept connections',
      default: '120',
    },
  },
} as const satisfies Record<string, Options>;

export type CommandName = keyof typeof OPTIONS;

/** What the handler of `name` gets. */
export type InputOf<Name extends CommandName> = CommandInput<(typeof OPTIONS)[Name]>;
