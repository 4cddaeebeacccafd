/**
 * USUALSTORE_PASSWORD_COMMAND: a command that prints the password, run when a command needs one
 * and neither the URL nor PGPASSWORD gives it. In production it reads the secret RDS keeps the
 * master password in (`aws secretsmanager get-secret-value … --query SecretString --output
 * text`), so the password is fetched where it is used and is in no file, plan or state. The
 * output is the password, or a JSON object with a "password" key (a Secrets Manager secret).
 */
import { spawnSync } from 'node:child_process';
import { UserError } from '../base/errors';
import { oneLine } from '../base/text';

export const PASSWORD_COMMAND_VARIABLE = 'USUALSTORE_PASSWORD_COMMAND';

export function passwordFromCommand(command: string): string {
  const run = spawnSync('sh', ['-c', command], { encoding: 'utf8', timeout: 30_000, stdio: ['ignore', 'pipe', 'pipe'] });
  if (run.error || run.status !== 0) {
    const why = run.error ? run.error.message : `exit ${run.status}${run.stderr.trim() ? `: ${oneLine(run.stderr).slice(0, 200)}` : ''}`;
    throw new UserError(`${PASSWORD_COMMAND_VARIABLE} failed (${why}); it must print the password or a JSON secret with a "password" key`);
  }
  const output = run.stdout.trim();
  if (!output.startsWith('{')) {
    if (output === '')
      throw new UserError(
        `${PASSWORD_COMMAND_VARIABLE} printed nothing; it must print the password or a JSON secret with a "password" key`,
      );
    return output;
  }
  let password: unknown;
  try {
    password = (JSON.parse(output) as { password?: unknown }).password;
  } catch {
    // Never echo the output: it is a secret.
    throw new UserError(
      `${PASSWORD_COMMAND_VARIABLE} printed something that starts like JSON but is not; it must print the password or a JSON secret with a "password" key`,
    );
  }
  if (typeof password !== 'string' || password === '')
    throw new UserError(`${PASSWORD_COMMAND_VARIABLE} printed a JSON object without a "password" string`);
  return password;
}
