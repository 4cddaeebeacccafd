/**
 * How the tests match the figures the commands write for people (tool/base/text.ts).
 */

/**
 * An elapsed time as formatDuration writes it, "85 ms" or "1.25 s": a loaded CI machine can take
 * more than a second over any step, so a pattern never assumes milliseconds.
 */
export const ELAPSED = String.raw`(?:\d+ ms|\d+\.\d\d s)`;
