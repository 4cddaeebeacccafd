/**
 * Destructive steps are deliberate: at a terminal the user answers y; a script passes --yes;
 * with neither, the command refuses in one line and changes nothing.
 */
import readline from 'node:readline';
import { UserError } from '../base/errors';

/** Resolves when `action` ("revert 2 migrations of …: a, b") may go ahead. */
export async function confirm(action: string, yes: boolean): Promise<void> {
  if (yes) return;
  if (!process.stdin.isTTY || !process.stderr.isTTY) {
    throw new UserError(`not confirmed: ${action}; pass --yes to confirm (there is no terminal to ask at); nothing was changed`);
  }
  const prompt = readline.createInterface({ input: process.stdin, output: process.stderr });
  const answer = await new Promise<string>((resolve) => {
    prompt.question(`usualstore-db: ${action}? [y/N] `, resolve);
    // Ctrl-D: no answer is a no.
    prompt.once('close', () => resolve(''));
  });
  prompt.close();
  if (!/^y(es)?$/i.test(answer.trim())) throw new UserError('not confirmed; nothing was changed');
}
