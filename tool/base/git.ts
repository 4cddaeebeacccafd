/**
 * The git questions review and lint ask (what the base of a change holds): one process each,
 * every failure one line. Base layer: imports nothing of ours but errors and text.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { UserError } from './errors';
import { oneLine } from './text';

export function git(cwd: string, args: string[], input?: string): string {
  try {
    return execFileSync('git', args, {
      cwd,
      input,
      encoding: 'utf8',
      stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      maxBuffer: 256 * 1024 * 1024,
    }).trim();
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new UserError(`git ${args.join(' ')} failed: ${oneLine(stderr || (error as Error).message)}`);
  }
}

/** A git command's output as bytes (a blob's exact content). */
export function gitBytes(cwd: string, args: string[]): Buffer {
  try {
    return execFileSync('git', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 256 * 1024 * 1024 });
  } catch (error) {
    throw new UserError(
      `git ${args.join(' ')} failed: ${oneLine(String((error as { stderr?: Buffer }).stderr ?? (error as Error).message))}`,
    );
  }
}

/** The top of the work tree holding `dir`, or undefined when it is in none (or git is missing). */
export function workTreeOf(dir: string): string | undefined {
  const result = spawnSync('git', ['rev-parse', '--show-toplevel'], { cwd: dir, encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

/** The merge base of HEAD with `base`, else with origin/main, else main; undefined when none exists. */
export function mergeBase(cwd: string, base?: string): { ref: string; commit: string } | undefined {
  for (const ref of base ? [base] : ['origin/main', 'main']) {
    const exists = spawnSync('git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { cwd }).status === 0;
    if (exists) return { ref, commit: git(cwd, ['merge-base', 'HEAD', ref]) };
  }
  return undefined;
}
