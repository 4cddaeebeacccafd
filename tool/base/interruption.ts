/**
 * What the command says, and undoes, when a signal ends it (Ctrl-C, `kill`, a CI timeout, a
 * closed terminal). Long steps (a migration run, a dump, a restore) register what they are doing
 * and where the database then is; the handler installed by the entry point prints that in one
 * line, runs the steps' clean-ups (stop a child process, remove a partial file) and exits with
 * the shell's code for the signal (128 + its number).
 *
 * Base layer: imports nothing of ours.
 */

export interface InterruptibleStep {
  /** What was under way and where the database now is (without a trailing full stop); the
   * innermost step that has one speaks. */
  describe?(): string;
  /** Synchronous: the process exits right after. */
  cleanup?(): void;
  /** Signals this step leaves to a child (Ctrl-C belongs to an interactive psql). */
  passThrough?: NodeJS.Signals[];
}

export const SIGNAL_EXIT_CODES: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 };

const active: InterruptibleStep[] = [];

/** Runs `work` with `step` registered, innermost last. */
export async function interruptible<T>(step: InterruptibleStep, work: () => Promise<T>): Promise<T> {
  active.push(step);
  try {
    return await work();
  } finally {
    active.splice(active.lastIndexOf(step), 1);
  }
}

function onSignal(signal: NodeJS.Signals, write: (line: string) => void): void {
  if (active.some((step) => step.passThrough?.includes(signal))) return;
  const speaker = [...active].reverse().find((step) => step.describe);
  for (const step of [...active].reverse()) {
    try {
      step.cleanup?.();
    } catch {
      // Exiting anyway; a failed clean-up must not hide the line below.
    }
  }
  write(`interrupted by ${signal}${speaker?.describe ? `: ${speaker.describe()}` : ''}`);
  process.exit(SIGNAL_EXIT_CODES[signal] ?? 1);
}

/** Installed once by the entry point; `write` prints one line to stderr. */
export function exitOnSignals(write: (line: string) => void): void {
  for (const signal of Object.keys(SIGNAL_EXIT_CODES) as NodeJS.Signals[]) process.on(signal, () => onSignal(signal, write));
}
