/**
 * A handler's option values are typed from the table (command.ts, options.ts). The type half of
 * this file is checked by `npm run build` (tsconfig.json includes the tests): each
 * @ts-expect-error below must be an error, or the build fails. The run half checks that the
 * parser hands over what the types promise.
 */
import type { InputOf } from '../../../tool/cli/options';
import { parseCommandLine } from '../../../tool/cli/parse';

function reads(input: InputOf<'migrate up'>) {
  const lockTimeoutMs: number = input.values['lock-timeout'];
  const to: string | undefined = input.values.to;
  const allowEdited: boolean = input.values['allow-edited'];
  // @ts-expect-error an option migrate up does not declare (misspelt)
  const misspelt: unknown = input.values['lock-timout'];
  // @ts-expect-error seconds are handed over as milliseconds, a number
  const asText: string = input.values['lock-timeout'];
  // @ts-expect-error an option with no default may be absent
  const always: string = input.values.to;
  // @ts-expect-error an option of another command (migrate down --all)
  const others: boolean = input.values.all;
  return { lockTimeoutMs, to, allowEdited, misspelt, asText, always, others };
}

describe("a handler's option values", () => {
  it('are what their types say: seconds in milliseconds, a flag not given false, an option not given undefined', () => {
    const parsed = parseCommandLine(['migrate', 'up', '--lock-timeout', '2.5']);
    if (parsed.kind !== 'run') throw new Error(`parsed as ${parsed.kind}`);
    expect(reads(parsed.input as InputOf<'migrate up'>)).toMatchObject({ lockTimeoutMs: 2500, to: undefined, allowEdited: false });
  });

  it('--version is a global option: before or after the command, it prints the version', () => {
    expect(parseCommandLine(['--version']).kind).toBe('version');
    expect(parseCommandLine(['-V']).kind).toBe('version');
    expect(parseCommandLine(['migrate', 'status', '--version']).kind).toBe('version');
  });

  it('an option users reach for that the command does not have says what does that instead', () => {
    expect(() => parseCommandLine(['migrate', 'up', '--dry-run'])).toThrow(
      'unknown option --dry-run for "migrate up": migrate plan shows what migrate up would run, verified in a transaction it rolls back (--print-only: runs nothing at all)',
    );
  });
});
