/**
 * `migrate status`: applied, pending, edited and missing migrations, by name. Read-only: it
 * takes no lock and creates nothing.
 */
import type { DatabaseTarget } from '../db';
import { withSession } from './connection';
import { inspect } from './inspect';
import { position } from './report';
import type { MigrationState } from './state';

/** The --json shape (stable: scripts read it). edited, missing and unrecorded are subsets of
 * applied; outOfOrder is a subset of pending. */
export interface StatusReport {
  database: string;
  current: string | null;
  applied: string[];
  pending: string[];
  edited: string[];
  missing: string[];
  unrecorded: string[];
  outOfOrder: string[];
}

export async function readStatus(target: DatabaseTarget, migrationsDir: string): Promise<MigrationState> {
  return withSession(target, undefined, (client) => inspect(client, migrationsDir));
}

export function statusReport(state: MigrationState, target: DatabaseTarget): StatusReport {
  return {
    database: target.label,
    current: state.applied.at(-1)?.name ?? null,
    applied: state.applied.map((m) => m.name),
    pending: state.pending.map((m) => m.name),
    edited: state.edited,
    missing: state.missing,
    unrecorded: state.unrecorded,
    outOfOrder: state.outOfOrder.map((m) => m.name),
  };
}

/** pgmigrations.run_on is a timestamp without time zone (node-pg-migrate's column), which pg
 * reads as local time: shown as local time, without pretending to know the zone. */
function formatRunOn(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

/** One line per migration (applied ones in the order applied, then pending), then a summary. */
export function formatStatus(state: MigrationState, target: DatabaseTarget): string[] {
  const edited = new Set(state.edited);
  const missing = new Set(state.missing);
  const unrecorded = new Set(state.unrecorded);
  const outOfOrder = new Set(state.outOfOrder.map((m) => m.name));
  const lines: string[] = [];
  for (const m of state.applied) {
    const note = edited.has(m.name)
      ? '  EDITED since applied (checksum differs)'
      : missing.has(m.name)
        ? '  MISSING: no file'
        : unrecorded.has(m.name)
          ? '  (no checksum recorded)'
          : '';
    lines.push(`applied  ${m.name}  ${formatRunOn(m.runOn)}${note}`);
  }
  for (const m of state.pending) lines.push(`pending  ${m.name}${outOfOrder.has(m.name) ? '  OUT OF ORDER: older than the newest applied' : ''}`);
  const counts = [
    `${state.applied.length} applied`,
    `${state.pending.length} pending`,
    state.edited.length ? `${state.edited.length} edited` : '',
    state.missing.length ? `${state.missing.length} missing` : '',
  ].filter(Boolean);
  lines.push(`${target.label} is ${position(state)}: ${counts.join(', ')}`);
  return lines;
}
