/**
 * The password file libpq reads (PGPASSFILE, else ~/.pgpass), read here as libpq reads it, so
 * that the resolver knows where a password came from (and says so when it is refused, or when
 * the file has no line for the target) and pg never reads the file itself: its own reading is
 * deprecated and prints a two-line warning. Lines are host:port:database:user:password, `*`
 * matching anything in the first four fields, `\` escaping `:` and `\`, `#` starting a comment;
 * the first line that matches wins; a file others may read is ignored, as libpq ignores it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface PasswordFileLookup {
  file: string;
  /** The password of the first matching line. */
  password?: string;
  /** Why none applies: the file is not there, others may read it, or no line matches. */
  unused?: string;
}

export function passwordFileName(env: NodeJS.ProcessEnv): string {
  return env.PGPASSFILE || path.join(env.HOME || os.homedir(), '.pgpass');
}

/** A line's five fields, `\:` and `\\` unescaped; undefined for a comment or a line of fewer. */
function fieldsOf(line: string): string[] | undefined {
  if (line.startsWith('#')) return undefined;
  const fields: string[] = [''];
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '\\' && i + 1 < line.length) fields[fields.length - 1] += line[++i];
    else if (c === ':' && fields.length < 5) fields.push('');
    else fields[fields.length - 1] += c;
  }
  return fields.length === 5 ? fields : undefined;
}

export function passwordFromFile(
  target: { host: string; port: number; database: string; user: string },
  env: NodeJS.ProcessEnv,
): PasswordFileLookup {
  const file = passwordFileName(env);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    return { file, unused: 'is not there' };
  }
  if (!stat.isFile()) return { file, unused: 'is not a plain file' };
  if (process.platform !== 'win32' && (stat.mode & 0o077) !== 0)
    return { file, unused: 'may be read by others, so it is ignored (chmod 600 it)' };
  // A Unix-socket connection matches the host "localhost", as in libpq.
  const host = target.host.startsWith('/') ? 'localhost' : target.host;
  const wanted = [host, String(target.port), target.database, target.user];
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    return { file, unused: `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})` };
  }
  for (const line of text.split(/\r?\n/)) {
    const fields = fieldsOf(line);
    if (fields && wanted.every((value, i) => fields[i] === '*' || fields[i] === value)) return { file, password: fields[4] };
  }
  return { file, unused: `has no line for ${wanted.join(':')}` };
}
