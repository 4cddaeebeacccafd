/**
 * The command table is the one definition: every option a command accepts is in its help, and
 * every option in its help is accepted. Help can no longer drift from the parser.
 */
import path from 'node:path';
import type { CommandSpec, Options, OptionSpec } from '../../../tool/cli/command';
import { commandHelp, parseCommandLine, suggestion } from '../../../tool/cli/parse';
import { COMMANDS } from '../../../tool/cli/table';
import { CONNECTION_OPTIONS } from '../../../tool/cli/options';

const name = (words: string[]) => words.join(' ');

/** What the parser hands over for the value "1", by the option's kind. */
/** A value each option takes ("1", or its first choice), and what the parser makes of it. */
const sample = (o: OptionSpec) => o.choices?.[0] ?? '1';
const parsedOne = (o: OptionSpec) =>
  o.type === 'boolean' ? true : { seconds: 1000, count: 1, whole: 1, path: path.resolve('1'), text: sample(o) }[o.kind ?? 'text'];

/** What a command needs to run at all: its required positionals and options (sample values). */
const needed = (spec: CommandSpec, except?: string) => [
  ...(spec.positionals ?? []).filter((p) => p.required).map(() => 'x'),
  ...Object.entries(spec.options ?? {})
    .filter(([option, o]) => o.required && option !== except)
    .flatMap(([option, o]) => [`--${option}`, sample(o)]),
];

describe('the command table', () => {
  it.each(COMMANDS.map((spec) => [name(spec.words), spec] as const))(
    '%s: its help lists every option it accepts, with defaults',
    (_, spec) => {
      const help = commandHelp(spec);
      expect(help.split('\n')[0]).toMatch(new RegExp(`^usage: usualstore-db ${name(spec.words)}( \\S+)* \\[options\\]`));
      const options: Options = { ...(spec.connects ? CONNECTION_OPTIONS : {}), ...spec.options };
      for (const [option, o] of Object.entries(options)) {
        expect(help).toContain(`--${option}${o.value ? ` ${o.value}` : ''}`);
        if (o.default ?? o.otherwise) expect(help).toContain(`(default: ${o.default ?? o.otherwise})`);
        // ...and the parser takes it (a value where it wants one).
        const args = o.type === 'string' ? [`--${option}`, sample(o)] : [`--${option}`];
        const parsed = parseCommandLine([...spec.words, ...needed(spec, option), ...args]);
        expect(parsed.kind).toBe('run');
        if (parsed.kind === 'run') expect(parsed.input.values[option]).toBe(parsedOne(o));
      }
      expect(help).toContain('-h, --help');
    },
  );

  it.each(COMMANDS.map((spec) => [name(spec.words), spec] as const))(
    "%s: without an option, the handler gets the table's default, read as the option is",
    (_, spec) => {
      const positionals = needed(spec);
      const parsed = parseCommandLine([...spec.words, ...positionals]);
      expect(parsed.kind).toBe('run');
      if (parsed.kind !== 'run') return;
      for (const [option, o] of Object.entries(spec.options ?? {})) {
        if (o.default === undefined) continue;
        const expected = parseCommandLine([...spec.words, ...positionals, `--${option}`, o.default]);
        expect(parsed.input.values[option]).toEqual(expected.kind === 'run' ? expected.input.values[option] : undefined);
      }
    },
  );

  it('reads each kind of value, refusing a bad one in one line', () => {
    expect(parseCommandLine(['migrate', 'up'])).toMatchObject({ input: { values: { 'lock-timeout': 60000 } } });
    expect(parseCommandLine(['migrate', 'plan'])).toMatchObject({ input: { values: { 'lock-timeout': 5000 } } });
    expect(parseCommandLine(['migrate', 'up', '--wait', '1.5'])).toMatchObject({ input: { values: { wait: 1500 } } });
    expect(() => parseCommandLine(['migrate', 'up', '--wait', 'soon'])).toThrow(
      '--wait takes a number of seconds between 0 and 86400 (got "soon")',
    );
    expect(() => parseCommandLine(['migrate', 'down', '--count', '0'])).toThrow('--count takes a positive whole number (got "0")');
    expect(() => parseCommandLine(['migrate', 'status', '--migrations-dir', ' '])).toThrow('--migrations-dir is empty');
    expect(() => parseCommandLine(['migrate', 'lint', '--fail-on', 'info'])).toThrow('--fail-on takes one of: warning, error (got "info")');
    expect(() => parseCommandLine(['migrate', 'up', '--lock-retries', '-1'])).toThrow(/--lock-retries/);
  });

  it('takes global options before or after the command', () => {
    for (const argv of [
      ['--database-url', 'postgres://u@h/d', 'migrate', 'status'],
      ['migrate', '--database-url', 'postgres://u@h/d', 'status'],
      ['migrate', 'status', '--database-url=postgres://u@h/d'],
    ]) {
      const parsed = parseCommandLine(argv);
      expect(parsed).toMatchObject({
        kind: 'run',
        spec: { words: ['migrate', 'status'] },
        input: { values: { 'database-url': 'postgres://u@h/d' } },
      });
    }
  });

  it('suggests the command meant', () => {
    expect(suggestion('stauts', ['status', 'shell', 'backup'])).toBe('status');
    expect(suggestion('restor', ['status', 'restore'])).toBe('restore');
    expect(suggestion('zzz', ['status', 'shell'])).toBeUndefined();
    expect(() => parseCommandLine(['stauts'])).toThrow('unknown command "stauts" (did you mean "status"?); run usualstore-db --help');
    expect(() => parseCommandLine(['migrate', 'dwon'])).toThrow('unknown migrate subcommand "dwon" (did you mean "down"?)');
    expect(() => parseCommandLine(['migrate', 'up', '--lock-timout', '3'])).toThrow(
      'unknown option --lock-timout for "migrate up" (did you mean "--lock-timeout"?)',
    );
  });

  it('help, version and nothing at all', () => {
    expect(parseCommandLine(['--version'])).toEqual({ kind: 'version' });
    expect(parseCommandLine(['-V'])).toEqual({ kind: 'version' });
    expect(parseCommandLine([])).toMatchObject({ kind: 'help', exitCode: 1 });
    expect(parseCommandLine(['--help'])).toMatchObject({ kind: 'help', exitCode: 0 });
    const up = commandHelp(COMMANDS.find((c) => name(c.words) === 'migrate up')!);
    expect(parseCommandLine(['help', 'migrate', 'up'])).toEqual({ kind: 'help', text: up, exitCode: 0 });
    expect(parseCommandLine(['migrate', 'up', '--help'])).toEqual({ kind: 'help', text: up, exitCode: 0 });
    expect(parseCommandLine(['migrate', '--help'])).toMatchObject({
      kind: 'help',
      text: expect.stringMatching(/^usage: usualstore-db migrate <command> \[options\]\n/),
    });
  });

  it('shell hands everything that is not its own to psql, -h included', () => {
    expect(parseCommandLine(['shell', '-c', 'select 1', '--database-url', 'postgres://u@h/d', '-h', 'x'])).toMatchObject({
      kind: 'run',
      input: { values: { 'database-url': 'postgres://u@h/d' }, passThrough: ['-c', 'select 1', '-h', 'x'] },
    });
    expect(parseCommandLine(['shell', '--', '--help'])).toMatchObject({ kind: 'run', input: { passThrough: ['--help'] } });
    expect(parseCommandLine(['shell', '--help'])).toMatchObject({ kind: 'help' });
  });

  it('names a missing or extra argument', () => {
    expect(() => parseCommandLine(['backup'])).toThrow('backup needs FILE; usage: usualstore-db backup FILE [options]');
    expect(() => parseCommandLine(['restore', 'a', 'b'])).toThrow(
      'unexpected argument "b" for "restore"; run usualstore-db restore --help',
    );
    expect(parseCommandLine(['migrate', 'forget', 'a', 'b', '--reason', 'x'])).toMatchObject({
      kind: 'run',
      input: { positionals: ['a', 'b'] },
    });
    expect(() => parseCommandLine(['migrate', 'forget', 'a'])).toThrow('migrate forget needs --reason TEXT (why, for the audit trail)');
    expect(() => parseCommandLine(['migrate', 'accept', 'a', '--reason', ' '])).toThrow('migrate accept needs --reason TEXT');
    for (const odd of ['constructor', '__proto__', 'toString']) expect(() => parseCommandLine([odd])).toThrow(`unknown command "${odd}"`);
  });
});
