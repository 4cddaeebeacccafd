/**
 * usualstore-db: entry point. Reads the command line against the command table (table.ts,
 * parse.ts), then loads and runs only that command's handler: `migrate up` runs in every deploy.
 */
import { UserError } from '../base/errors';
import { exitOnSignals } from '../base/interruption';
import { oneLine } from '../base/text';
import { describeServerRefusal } from '../db/errors';
import { parseCommandLine } from './parse';

function version(): string {
  const { projectRoot } = require('../migrator/files') as typeof import('../migrator/files');
  return (require(require('node:path').join(projectRoot(), 'package.json')) as { version: string }).version;
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
  return parsed.spec.handler()(parsed.input);
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
