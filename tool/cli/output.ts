/** How commands print: results on stdout, line by line; warnings on stderr under the program's name. */
export function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

export function warn(line: string): void {
  process.stderr.write(`usualstore-db: ${line}\n`);
}
