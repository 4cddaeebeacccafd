/**
 * What a command is, for the table (table.ts) and the parser (parse.ts), and what its handler
 * receives. Types only: handlers import them without importing the table.
 */
import type { DatabaseTarget } from '../db';

export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  /** The value's name in the help (SECONDS, DIR, ...). */
  value?: string;
  description: string;
  /**
   * How the parser reads a string value, and refuses a bad one in one line: seconds (0 to 86400,
   * fractions allowed; handed over as milliseconds), count (a positive whole number), whole (a
   * whole number, 0 included), path
   * (resolved against the working directory), text (as is). @default 'text'
   */
  kind?: 'seconds' | 'count' | 'whole' | 'path' | 'text';
  /** The only values a text option takes (the parser refuses any other in one line). */
  choices?: readonly string[];
  /** The value when the option is not given, as a user would type it: the parser applies it, the
   * help shows it. The one place a default is written. */
  default?: string;
  /** What happens without the option when that is not a value (the help says it). */
  otherwise?: string;
  /** The command refuses to run without it (the parser says so in one line). */
  required?: boolean;
}

export interface PositionalSpec {
  name: string;
  required: boolean;
  /** Takes any number of values (NAME...). */
  many?: boolean;
}

/** An option's value after parsing: seconds as milliseconds, counts as numbers. */
export type OptionValue = string | number | boolean | undefined;

/** A command's options by name (options.ts). */
export type Options = Readonly<Record<string, OptionSpec>>;

/** The value an option is handed over as: a flag a boolean, seconds (milliseconds), counts and
 * whole numbers a number, a choice one of its choices, anything else a string. */
type ValueOf<Spec> = Spec extends { type: 'boolean' }
  ? boolean
  : Spec extends { kind: 'seconds' | 'count' | 'whole' }
    ? number
    : Spec extends { choices: readonly (infer Choice)[] }
      ? Choice
      : string;

/** Whether the parser always hands a value over: a flag (false when absent), a default, a
 * required option. */
type AlwaysGiven<Spec> = Spec extends { type: 'boolean' } | { default: string } | { required: true } ? true : false;

/** The values of `O`, typed from the table: reading an option that is not there, or as the
 * wrong kind, does not compile. */
export type OptionValues<O extends Options> = string extends keyof O
  ? // Options of no command in particular (the parser's side): nothing to read without a check.
    Readonly<Record<string, unknown>>
  : { readonly [Name in keyof O]: AlwaysGiven<O[Name]> extends true ? ValueOf<O[Name]> : ValueOf<O[Name]> | undefined };

/** What a handler gets: its options' values by name, positionals, what followed `--`, and for a
 * command that connects, its database, resolved once (cli/main.ts, db/resolve.ts). */
export interface CommandInput<O extends Options = Options> {
  values: OptionValues<O>;
  positionals: string[];
  passThrough: string[];
  database?: DatabaseTarget;
}

export type Handler<O extends Options = Options> = (input: CommandInput<O>) => Promise<number>;

export interface CommandSpec {
  /** The words that name it: ['migrate', 'up']. */
  words: string[];
  summary: string;
  /** More, for --help (wrapped as written). */
  details?: string;
  positionals?: PositionalSpec[];
  options?: Options;
  /** Takes --database-url (else DATABASE_URL, else the deployed database); 'explicit': only a
   * database named by either (review reaches for no other). */
  connects?: true | 'explicit';
  /** Options users reach for that the command does not have, each with what does that job
   * instead (said in place of "unknown option"). */
  insteadOf?: Record<string, string>;
  /** Arguments after `--` go to a tool (psql). */
  passThrough?: string;
  exitCodes?: string;
  /** Loads the handler (only the command that runs is loaded); the import is type-checked. */
  handler: () => Promise<Handler>;
}
