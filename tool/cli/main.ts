/**
 * usualstore-db: entry point. Dispatches to one command module, loaded on demand so that a
 * command only pays the start-up cost of what it uses (`migrate up` runs in every deploy).
 */
import { exitOnSignals } from '../base/interruption';
import { oneLine } from '../base/text';
import { describeServerRefusal } from '../db/errors';
import { UserError } from '../base/errors';

/** A command takes its own arguments and returns the process exit code. */
export type Command = (args: string[]) => Promise<number>;

const USAGE = `usage: usualstore-db <command> [options]

commands:
  migrate up [--migrations-dir DIR] [--wait SECONDS] [--lock-timeout SECONDS] [--allow-edited]
  migrate down (--count N | --all) [--migrations-dir DIR] [--lock-timeout SECONDS] [--allow-edited]
  migrate status [--json] [--migrations-dir DIR]
  migrate create NAME [--migrations-dir DIR]
  migrate plan [--migrations-dir DIR] [--lock-timeout SECONDS] [--allow-edited]   (exit 0 none pending, 2 pending, 1 error)
  migrate adopt [--migrations-dir DIR] [--lock-timeout SECONDS]
  status [--json] [--migrations-dir DIR]
  backup FILE [--force] [--lock-timeout SECONDS]
  restore FILE [--force] [--lock-timeout SECONDS]
  shell [-- PSQL_ARGS...]
  preflight deploy|destroy|wipe   (the checks npm run deploy/destroy/wipe make before cdktf)

Connection: --database-url URL, or the DATABASE_URL environment variable.`;

const COMMANDS: Record<string, () => Command> = {
  migrate: () => require('./commands/migrate').migrate,
  status: () => require('./commands/status').status,
  backup: () => require('./commands/backup').backup,
  restore: () => require('./commands/restore').restore,
  shell: () => require('./commands/shell').shell,
  preflight: () => require('./commands/preflight').preflight,
};

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(USAGE + '\n');
    return name ? 0 : 1;
  }
  // Own keys only: "constructor" or "__proto__" are not commands.
  const load = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!load) throw new UserError(`unknown command "${name}"; run usualstore-db --help`);
  return load()(rest);
}

/**
 * Output piped into a reader that stops early (`usualstore-db migrate plan | head`): stop as a
 * shell tool stopped by SIGPIPE does (status 141), without a stack trace. Whatever was under way
 * ends with the process: an open transaction is rolled back by the server when the connection
 * drops, so nothing half-done remains.
 */
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(141);
    throw error;
  });
}

exitOnSignals((line) => process.stderr.write(`usualstore-db: ${line}\n`));

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UserError) {
      process.stderr.write(`usualstore-db: ${oneLine(error.message)}\n`);
      process.exitCode = error.exitCode;
      return;
    }
    // A refusal by the server (no privilege, read-only, a restart) is the user's to act on.
    const refusal = describeServerRefusal(error);
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`usualstore-db: ${refusal ?? `unexpected error: ${oneLine(message)}`}\n`);
    if (process.env.USUALSTORE_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    process.exitCode = 1;
  },
);
