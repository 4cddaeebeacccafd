/**
 * How commands print: results on stdout, line by line; warnings and progress on stderr under the
 * program's name. Colour only on a terminal and never with NO_COLOR set (https://no-color.org):
 * the deploy hook's output lands in Terraform's log, which stays plain.
 */
export function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** A child's stderr line, relayed as it is (Terraform's, the app's). */
export function relayError(line: string): void {
  process.stderr.write(`${line}\n`);
}

export function warn(line: string): void {
  process.stderr.write(`usualstore-db: ${line}\n`);
}

const STYLES = { bold: '1', red: '31', yellow: '33', green: '32', dim: '2' } as const;

export function colours(stream: NodeJS.WriteStream = process.stdout, env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(stream.isTTY) && (env.NO_COLOR ?? '') === '' && env.TERM !== 'dumb';
}

/** `text` in a style when stdout is a colour terminal, as is otherwise. */
export function paint(text: string, style: keyof typeof STYLES, enabled = colours()): string {
  return enabled ? `\u001b[${STYLES[style]}m${text}\u001b[0m` : text;
}
