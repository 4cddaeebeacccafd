/**
 * An error the user can act on: printed as one line (no stack trace) with a non-zero exit.
 * Anything else that escapes a command is a bug, and is still reported in one line (with
 * USUALSTORE_DEBUG=1 showing the stack).
 */
export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = 1,
  ) {
    super(message);
    this.name = 'UserError';
  }
}
