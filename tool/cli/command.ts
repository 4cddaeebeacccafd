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

/** What a handler gets: option values by name, positionals, what followed `--`, and for a command
 * that connects, its database, resolved once (cli/main.ts, db/resolve.ts). */
export interface CommandInput {
  values: Record<string, OptionValue>;
  positionals: string[];
  passThrough: string[];
  database?: DatabaseTarget;
}

export type Handler = (input: CommandInput) => Promise<number>;

export interface CommandSpec {
  /** The words that name it: ['migrate', 'up']. */
  words: string[];
  summary: string;
  /** More, for --help (wrapped as written). */
  details?: string;
  positionals?: PositionalSpec[];
  options?: Record<string, OptionSpec>;
  /** Takes --database-url (else DATABASE_URL, else the deployed database); 'explicit': only a
   * database named by either (review reaches for no other). */
  connects?: true | 'explicit';
  /** Arguments after `--` go to a tool (psql). */
  passThrough?: string;
  exitCodes?: string;
  /** Loads the handler (only the command that runs is loaded); the import is type-checked. */
  handler: () => Promise<Handler>;
}
