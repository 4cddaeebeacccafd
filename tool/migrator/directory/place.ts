/**
 * Where in a migration a statement of its SQL comes from: the statement an error position falls
 * in, and for an SQL migration the line of its file, so that an error (PostgreSQL's when it runs,
 * squawk's when it is linted) names the migration, the file line and the statement once, instead
 * of a character offset in SQL the user never wrote as such. A TypeScript migration's SQL is
 * built by its code: there the statement is named, without a line.
 */
import fs from 'node:fs';
import path from 'node:path';
import { oneLine } from '../../base/text';
import type { MigrationFile } from './index';
import { sqlSectionAt, type Direction } from './load';
import { statementSpans } from './statements';

/** How much of a statement a message quotes. */
const QUOTED = 160;

/** The statement of `sql` that `offset` (0-based) falls in, and the offset within it; without an
 * offset, the statement when there is only one. */
export function statementAt(sql: string, offset?: number): { text: string; offset: number } | undefined {
  const spans = statementSpans(sql);
  if (offset === undefined) return spans.length === 1 ? { text: spans[0].text, offset: 0 } : undefined;
  const span = [...spans].reverse().find((s) => s.start <= offset) ?? spans[0];
  return span && { text: span.text, offset: Math.max(0, Math.min(offset - span.start, span.text.length)) };
}

/** A statement of a migration's SQL, and where it is: its file, and for an SQL migration the line. */
export interface Place {
  file: string;
  line?: number;
  statement: string;
}

/** Where the statement of `step` (one of the migration's SQL steps, in `direction`) that `offset`
 * falls in is; undefined when it cannot be told which statement. */
export function locateInMigration(file: MigrationFile, direction: Direction, step: string, offset?: number): Place | undefined {
  const statement = statementAt(step, offset);
  if (!statement) return undefined;
  const line = file.path.endsWith('.sql') ? lineInFile(file.path, direction, statement.text, statement.offset) : undefined;
  return { file: path.basename(file.path), line, statement: statement.text };
}

/** "20240101000001_add_x.sql line 4: SELEC 1" (the statement on one line, shortened). */
export function describePlace(place: Place): string {
  const quoted = oneLine(place.statement);
  const shown = quoted.length > QUOTED ? `${quoted.slice(0, QUOTED)}...` : quoted;
  return `${place.file}${place.line === undefined ? '' : ` line ${place.line}`}: ${shown}`;
}

/** locateInMigration, described. */
export function placeInMigration(file: MigrationFile, direction: Direction, step: string, offset?: number): string | undefined {
  const place = locateInMigration(file, direction, step, offset);
  return place && describePlace(place);
}

/** The 1-based line of `offset` in the first `statement` of the file's `direction` section. */
function lineInFile(file: string, direction: Direction, statement: string, offset: number): number | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const section = Math.max(0, sqlSectionAt(text, direction));
  const at = text.indexOf(statement, section);
  const found = at >= 0 ? at : text.indexOf(statement);
  if (found < 0) return undefined;
  return text.slice(0, found + offset).split('\n').length;
}
