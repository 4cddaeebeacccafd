/**
 * What a command is, for the table (table.ts) and the parser (parse.ts), and what its handler
 * receives. Types only: handlers import them without importing the table.
 */

export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  /** The value's name in the help (SECONDS, DIR, ...). */
  value?: string;
  description: string;
  /** Said in the help; the handler applies it. */
  default?: string;
}

export interface PositionalSpec {
  name: string;
  required: boolean;
  /** Takes any number of values (NAME...). */
  many?: boolean;
}

/** What a handler gets: option values by name, positionals, and what followed `--`. */
export interface CommandInput {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
  passThrough: string[];
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
  /** Takes --database-url (and DATABASE_URL, or the deployed database). */
  connects?: boolean;
  /** Arguments after `--` go to a tool (psql). */
  passThrough?: string;
  exitCodes?: string;
  handler: () => Handler;
}
