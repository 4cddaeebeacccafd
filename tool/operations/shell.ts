/**
 * `shell`: psql into the database, replacing the seed's db-shell Makefile targets. Interactive
 * when the terminal is; with SQL piped on stdin it runs it and exits, as psql does.
 */
import { interruptible } from '../base/interruption';
import { invocation, runTool } from './client-tools';
import { checkReachable } from '../db/connect';
import type { ClientRoute } from './route';

export async function openShell(route: ClientRoute, psqlArgs: string[]): Promise<number> {
  // An unreachable server gets the same one-line message as every other command, not psql's.
  if (route.kind === 'local') await checkReachable(route.target);
  const tty = Boolean(process.stdin.isTTY && process.stdout.isTTY);
  // Ctrl-C belongs to psql (it cancels the running query); it must not end this wrapper.
  const step = { passThrough: ['SIGINT' as const], describe: () => `psql on ${route.label} was stopped` };
  return interruptible(step, async () => {
    // SQL piped in (a script, CI): stop at the first error and exit non-zero, as a script runner
    // should; psql's default would go on and exit 0. The user's own -v settings come after.
    const args = process.stdin.isTTY ? psqlArgs : ['-v', 'ON_ERROR_STOP=1', ...psqlArgs];
    const result = await runTool(invocation(route, 'psql', args, { tty }), { stdin: 'inherit', stdout: 'inherit', stderr: 'inherit' });
    return result.code;
  });
}
