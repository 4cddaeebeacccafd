/**
 * Reading the command line against the command table (table.ts): which command, its options
 * (global ones may stand before or after the command's words), its arguments, and the help
 * texts. node:util parseArgs does the option syntax: it costs nothing to load, where commander
 * costs ~8 ms and yargs ~65 ms of every deploy's `migrate up` (measured: see the README, Speed).
 */
import { parseArgs } from 'node:util';
import { UserError } from '../base/errors';
import { COMMANDS } from './table';
import path from 'node:path';
import { type CommandInput, type CommandSpec, type Options, type OptionSpec, type OptionValue } from './command';
import { CONNECTION_OPTIONS, GLOBAL_OPTIONS } from './options';

export type Parsed =
  | { kind: 'run'; spec: CommandSpec; input: CommandInput }
  /** Help asked for (exit 0), or shown because nothing was given (exit 1). */
  | { kind: 'help'; text: string; exitCode: number }
  | { kind: 'version' };

const name = (spec: CommandSpec) => spec.words.join(' ');

function optionsOf(spec: CommandSpec): Options {
  return { ...(spec.connects ? CONNECTION_OPTIONS : {}), ...spec.options, ...GLOBAL_OPTIONS };
}

/** Damerau-Levenshtein distance (adjacent transpositions count once: "stauts" → "status"). */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** The closest candidate, if it is close enough to be what was meant. */
export function suggestion(word: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const dist = distance(word.toLowerCase(), candidate.toLowerCase());
    if (dist < bestDistance) [best, bestDistance] = [candidate, dist];
  }
  return best !== undefined && bestDistance <= Math.max(1, Math.floor(best.length / 3)) ? best : undefined;
}

const didYouMean = (word: string, candidates: string[]) => {
  const close = suggestion(word, candidates);
  return close ? ` (did you mean "${close}"?)` : '';
};

/** Global options (the connection's and every command's) may come before the command's words:
 * each spelling of them, with whether it takes a value. */
const LEADING: Record<string, boolean> = Object.fromEntries(
  Object.entries({ ...CONNECTION_OPTIONS, ...GLOBAL_OPTIONS } as Options).flatMap(([option, o]) =>
    [`--${option}`, ...(o.short ? [`-${o.short}`] : [])].map((spelling) => [spelling, o.type === 'string']),
  ),
);

/** Splits argv into the command's words and everything else (options keep their order). */
function splitWords(argv: string[]): { words: string[]; rest: string[] } {
  const words: string[] = [];
  const rest: string[] = [];
  let i = 0;
  while (i < argv.length) {
    const token = argv[i];
    if (token === '--') break;
    const flag = token.split('=')[0];
    if (token.startsWith('-')) {
      if (!(flag in LEADING)) break; // a command's own option: the words are over
      rest.push(token);
      if (LEADING[flag] && !token.includes('=') && i + 1 < argv.length) rest.push(argv[++i]);
      i++;
      continue;
    }
    const candidate = [...words, token];
    if (!COMMANDS.some((spec) => candidate.every((word, k) => spec.words[k] === word))) break;
    words.push(token);
    i++;
    if (COMMANDS.some((spec) => name(spec) === candidate.join(' '))) break;
  }
  return { words, rest: [...rest, ...argv.slice(i)] };
}

function formatOption(option: string, spec: OptionSpec): [string, string] {
  const flag = `${spec.short ? `-${spec.short}, ` : ''}--${option}${spec.value ? ` ${spec.value}` : ''}`;
  const otherwise = spec.default ?? spec.otherwise;
  return [flag, `${spec.description}${spec.required ? ' (required)' : ''}${otherwise ? ` (default: ${otherwise})` : ''}`];
}

function table(rows: [string, string][]): string[] {
  const width = Math.max(...rows.map(([left]) => left.length)) + 2;
  return rows.map(([left, right]) => `  ${left.padEnd(width)}${right}`);
}

function usageLine(spec: CommandSpec): string {
  const positionals = (spec.positionals ?? []).map((p) => (p.required ? `${p.name}${p.many ? '...' : ''}` : `[${p.name}]`));
  return ['usualstore-db', ...spec.words, ...positionals, '[options]', ...(spec.passThrough ? [`[-- ${spec.passThrough}...]`] : [])].join(
    ' ',
  );
}

export function commandHelp(spec: CommandSpec): string {
  const lines = [`usage: ${usageLine(spec)}`, '', `${spec.summary[0].toUpperCase()}${spec.summary.slice(1)}.`];
  if (spec.details) lines.push(spec.details);
  lines.push('', 'options:', ...table(Object.entries(optionsOf(spec)).map(([option, o]) => formatOption(option, o))));
  if (spec.passThrough)
    lines.push(
      '',
      `Any other argument goes to psql as it is (${spec.passThrough}: -c 'select 1', -f script.sql); after -- every one does.`,
    );
  if (spec.exitCodes) lines.push('', `exit status: ${spec.exitCodes}`);
  return lines.join('\n');
}

function overview(prefix: string[] = []): string {
  const specs = COMMANDS.filter((spec) => prefix.every((word, k) => spec.words[k] === word));
  const title = prefix.length ? `usage: usualstore-db ${prefix.join(' ')} <command> [options]` : 'usage: usualstore-db <command> [options]';
  return [
    title,
    '',
    'commands:',
    ...table(specs.map((spec) => [name(spec), spec.summary])),
    '',
    'Run usualstore-db <command> --help for its options. Global options, before or after the command:',
    ...table(Object.entries({ ...CONNECTION_OPTIONS, ...GLOBAL_OPTIONS } as Options).map(([option, o]) => formatOption(option, o))),
  ].join('\n');
}

export function parseCommandLine(argv: string[]): Parsed {
  if (argv.length === 0) return { kind: 'help', text: overview(), exitCode: 1 };
  if (argv[0] === 'help') {
    const spec = COMMANDS.find((candidate) => name(candidate) === argv.slice(1).join(' '));
    return {
      kind: 'help',
      text: spec ? commandHelp(spec) : overview(argv.slice(1, 2).filter((word) => COMMANDS.some((c) => c.words[0] === word))),
      exitCode: 0,
    };
  }
  const { words, rest } = splitWords(argv);
  const spec = COMMANDS.find((candidate) => name(candidate) === words.join(' '));
  const ownArgs = rest.includes('--') ? rest.slice(0, rest.indexOf('--')) : rest;
  // For shell, -h is psql's --host: only --help asks for ours.
  const wantsHelp = ownArgs.some((token) => token === '--help' || (token === '-h' && !spec?.passThrough));
  if (spec) {
    if (wantsHelp) return { kind: 'help', text: commandHelp(spec), exitCode: 0 };
    const input = parseInput(spec, rest);
    return input.values.version === true ? { kind: 'version' } : { kind: 'run', spec, input };
  }
  if (words.length === 0 && (ownArgs.includes('--version') || ownArgs.includes('-V'))) return { kind: 'version' };
  if (wantsHelp) return { kind: 'help', text: overview(words), exitCode: 0 };
  const next = rest.find((token) => !token.startsWith('-'));
  if (words.length === 0) {
    if (next === undefined) throw new UserError('no command given; run usualstore-db --help');
    const groups = [...new Set(COMMANDS.map((c) => c.words[0]))];
    throw new UserError(`unknown command "${next}"${didYouMean(next, [...groups, ...COMMANDS.map(name)])}; run usualstore-db --help`);
  }
  const subcommands = COMMANDS.filter((c) => c.words[0] === words[0]).map((c) => c.words[1]);
  if (next === undefined)
    throw new UserError(`${words[0]} needs a subcommand: ${subcommands.join(', ')}; run usualstore-db ${words[0]} --help`);
  throw new UserError(
    `unknown ${words[0]} subcommand "${next}"${didYouMean(next, subcommands)}; expected one of: ${subcommands.join(', ')}`,
  );
}

/**
 * For a command that hands arguments to a tool (shell → psql): its own options are taken out,
 * everything else goes to the tool in order (`shell -c 'select 1'`, `shell -- -h host`). Only
 * --help is ours: -h is psql's --host.
 */
function splitPassThrough(spec: CommandSpec, args: string[]): { own: string[]; passThrough: string[] } {
  const ours = Object.keys(optionsOf(spec));
  const own: string[] = [];
  const passThrough: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const token = args[i];
    if (token === '--') {
      passThrough.push(...args.slice(i + 1));
      break;
    }
    const option = token.startsWith('--') ? token.slice(2).split('=')[0] : undefined;
    if (option !== undefined && ours.includes(option)) {
      own.push(token);
      if (optionsOf(spec)[option].type === 'string' && !token.includes('=') && i + 1 < args.length) own.push(args[++i]);
    } else passThrough.push(token);
  }
  return { own, passThrough };
}

function parseInput(spec: CommandSpec, args: string[]): CommandInput {
  const { own, passThrough } = spec.passThrough ? splitPassThrough(spec, args) : { own: args, passThrough: [] };
  const options = optionsOf(spec);
  const command = name(spec);
  let parsed;
  try {
    parsed = parseArgs({
      args: own,
      options: Object.fromEntries(
        Object.entries(options).map(([option, o]) => [
          option,
          { type: o.type, ...(o.short ? { short: o.short } : {}), ...(o.default !== undefined ? { default: o.default } : {}) },
        ]),
      ),
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    const { code, message } = error as { code?: string; message: string };
    const option = /'(-[^']*)'/.exec(message)?.[1];
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      const bare = (option ?? '').replace(/^-+/, '').split('=')[0];
      const instead = spec.insteadOf?.[bare];
      if (instead) throw new UserError(`unknown option ${option} for "${command}": ${instead}`);
      throw new UserError(
        `unknown option ${option ?? ''} for "${command}"${didYouMean(bare, Object.keys(options)).replace(/"([^"]+)"\?\)$/, '"--$1"?)')}; run usualstore-db ${command} --help`,
      );
    }
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      const flag = (option ?? '')
        .replace(/ <value>$/, '')
        .split(',')
        .pop()!
        .trim();
      if (/ambiguous/.test(message))
        throw new UserError(`option ${flag} of "${command}" has a value starting with "-"; write it as ${flag}=VALUE`);
      throw new UserError(`option ${flag} of "${command}" ${/argument missing/.test(message) ? 'needs a value' : 'takes no value'}`);
    }
    throw new UserError(`${command}: ${message.split('\n')[0]}`);
  }
  const positionals = parsed.positionals;
  const specs = spec.positionals ?? [];
  const many = specs.some((p) => p.many);
  if (!many && positionals.length > specs.length) {
    throw new UserError(`unexpected argument "${positionals[specs.length]}" for "${command}"; run usualstore-db ${command} --help`);
  }
  const missing = specs.find((p, index) => p.required && (positionals[index] === undefined || positionals[index].trim() === ''));
  if (missing) throw new UserError(`${command} needs ${missing.name}; usage: ${usageLine(spec)}`);
  const missingOption = Object.entries(options).find(
    ([option, o]) => o.required && (parsed.values[option] === undefined || String(parsed.values[option]).trim() === ''),
  );
  if (missingOption) {
    const [option, o] = missingOption;
    throw new UserError(`${command} needs --${option}${o.value ? ` ${o.value}` : ''} (${o.description})`);
  }
  // Every option has its value: a flag not given is false (command.ts types them so).
  const values: Record<string, OptionValue> = Object.fromEntries(
    Object.entries(options).map(([option, o]) => {
      const value = parsed.values[option];
      return [option, typeof value === 'string' ? readValue(option, o, value) : (value ?? (o.type === 'boolean' ? false : undefined))];
    }),
  );
  return { values, positionals, passThrough };
}

/** A string option's value as its kind reads it (the table's default included: it is checked too). */
function readValue(option: string, spec: OptionSpec, value: string): OptionValue {
  switch (spec.kind ?? 'text') {
    case 'seconds': {
      const number = Number(value);
      if (value.trim() === '' || !Number.isFinite(number) || number < 0 || number > 86400) {
        throw new UserError(`--${option} takes a number of seconds between 0 and 86400 (got "${value}")`);
      }
      return Math.round(number * 1000);
    }
    case 'count':
      if (!/^[1-9]\d*$/.test(value.trim())) throw new UserError(`--${option} takes a positive whole number (got "${value}")`);
      return Number(value);
    case 'whole':
      if (!/^\d{1,3}$/.test(value.trim())) throw new UserError(`--${option} takes a whole number from 0 to 999 (got "${value}")`);
      return Number(value);
    case 'path':
      if (value.trim() === '') throw new UserError(`--${option} is empty`);
      return path.resolve(value);
    case 'text':
      if (spec.choices && !spec.choices.includes(value))
        throw new UserError(`--${option} takes one of: ${spec.choices.join(', ')} (got "${value}")`);
      return value;
  }
}
