/**
 * usualstore-db: entry point. Reads the command line against the command table (table.ts,
 * parse.ts), then loads and runs only that command's handler: `migrate up` runs in every deploy.
 */
import path from 'node:path';
import { UserError } from '../base/errors';
import { exitOnSignals } from '../base/interruption';
import { projectRoot } from '../base/project';
import { oneLine } from '../base/text';
import { describeServerRefusal } from '../db/errors';
import { resolveDatabase } from '../db/resolve';
import { DEPLOYED_ORIGIN, type DatabaseTarget } from '../db/target';
import type { CommandInput, CommandSpec } from './command';
import { warn } from './output';
import { parseCommandLine } from './parse';

function version(): string {
  return (require(path.join(projectRoot(), 'package.json')) as { version: string }).version;
}

/**
 * The database of a command that connects, resolved here once for the whole run (db/resolve.ts),
 * after its options were checked. Using the deployed database is said on stderr, so that nobody
 * wonders which database a command touched.
 */
function databaseOf(spec: CommandSpec, input: CommandInput): DatabaseTarget | undefined {
  if (!spec.connects) return undefined;
  const url = input.values['database-url'];
  const target = resolveDatabase({
    url: typeof url === 'string' ? url : undefined,
    fallback: spec.connects === 'explicit' ? 'explicit' : 'default',
  });
  if (target?.origin === DEPLOYED_ORIGIN) {
    warn(
      `no --database-url or DATABASE_URL: using the deployed database ${target.label} (password: ${target.passwordSource === 'none' ? 'none found' : target.passwordSource})`,
    );
  }
  return target;
}

async function main(argv: string[]): Promise<number> {
  const parsed = parseCommandLine(argv);
  if (parsed.kind === 'version') {
    process.stdout.write(`usualstore-db ${version()}\n`);
    return 0;
  }
  if (parsed.kind === 'help') {
    process.stdout.write(`${parsed.text}\n`);
    return parsed.exitCode;
  }
  const { spec, input } = parsed;
  const handler = await spec.handler();
  return handler({ ...input, database: databaseOf(spec, input) });
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
    // A pipe's reader that stopped early is found out when what is buffered is written: wait for
    // it here, so that the 141 above is the outcome rather than a status after lost output.
    if (!process.stdout.isTTY) process.stdout.write('');
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
