/**
 * `migrate status`: applied, pending, edited and missing migrations, by name, and the repairs
 * made by hand. Read-only: it takes no lock and creates nothing.
 */
import type { DatabaseTarget } from '../../db';
import { readRepairs, type Repair } from './bookkeeping';
import type { MigrationsDirectory } from '../directory';
import { inspect } from './state';
import { position } from './report';
import { withSession } from '../../db/session';
import type { MigrationState } from './state';

export interface Status {
  state: MigrationState;
  repairs: Repair[];
}

/** The --json shape (stable: scripts read it; snake_case like every command's JSON). edited,
 * missing and unrecorded are subsets of applied; out_of_order is a subset of pending. */
export interface StatusReport {
  database: string;
  current: string | null;
  applied: string[];
  pending: string[];
  edited: string[];
  missing: string[];
  unrecorded: string[];
  out_of_order: string[];
  /** When each applied migration ran (ISO 8601, UTC). */
  applied_at: Record<string, string>;
  repairs: {
    at: string;
    action: string;
    name: string;
    by: string;
    old_sha256: string | null;
    new_sha256: string | null;
    reason: string | null;
  }[];
}

export async function readStatus(target: DatabaseTarget, migrations: MigrationsDirectory): Promise<Status> {
  return withSession(target, {}, async (client) => ({ state: await inspect(client, migrations), repairs: await readRepairs(client) }));
}

export function statusReport({ state, repairs }: Status, target: DatabaseTarget): StatusReport {
  return {
    database: target.label,
    current: state.applied.at(-1)?.name ?? null,
    applied: state.applied.map((m) => m.name),
    pending: state.pending.map((m) => m.name),
    edited: state.edited,
    missing: state.missing,
    unrecorded: state.unrecorded,
    out_of_order: state.outOfOrder.map((m) => m.name),
    applied_at: Object.fromEntries(state.applied.map((m) => [m.name, m.runOn.toISOString()])),
    repairs: repairs.map((r) => ({ ...r, at: r.at.toISOString() })),
  };
}

/** "2026-12-02 03:40:01" in UTC (the column header says so). */
export function utc(date: Date): string {
  return date.toISOString().slice(0, 19).replace('T', ' ');
}

export type Paint = (text: string, style: 'bold' | 'red' | 'yellow' | 'dim') => string;

/** An aligned table (state, migration, when applied, note), then the repairs, then a summary. */
export function formatStatus({ state, repairs }: Status, target: DatabaseTarget, paint: Paint = (text) => text): string[] {
  const edited = new Set(state.edited);
  const missing = new Set(state.missing);
  const unrecorded = new Set(state.unrecorded);
  const outOfOrder = new Set(state.outOfOrder.map((m) => m.name));
  const rows: { cells: [string, string, string, string]; style?: 'red' | 'yellow' | 'dim' }[] = [];
  for (const m of state.applied) {
    const note = edited.has(m.name)
      ? 'EDITED since applied (checksum differs)'
      : missing.has(m.name)
        ? 'MISSING: no file'
        : unrecorded.has(m.name)
          ? 'no checksum recorded'
          : '';
    rows.push({ cells: ['applied', m.name, utc(m.runOn), note], style: note && !unrecorded.has(m.name) ? 'red' : undefined });
  }
  for (const m of state.pending) {
    rows.push({
      cells: ['pending', m.name, '', outOfOrder.has(m.name) ? 'OUT OF ORDER: older than the newest applied' : ''],
      style: outOfOrder.has(m.name) ? 'red' : 'yellow',
    });
  }
  const header: [string, string, string, string] = ['STATE', 'MIGRATION', 'APPLIED (UTC)', 'NOTE'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row.cells[column].length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column])))
      .join('  ')
      .trimEnd();
  const lines = [paint(line(header), 'bold'), ...rows.map((row) => (row.style ? paint(line(row.cells), row.style) : line(row.cells)))];
  if (repairs.length > 0) {
    lines.push('', paint('repairs (pgmigrations_audit):', 'bold'));
    for (const r of repairs) lines.push(`  ${utc(r.at)} UTC  ${r.action} ${r.name} by ${r.by}${r.reason ? `: ${r.reason}` : ''}`);
  }
  const counts = [
    `${state.applied.length} applied`,
    `${state.pending.length} pending`,
    state.edited.length ? `${state.edited.length} edited` : '',
    state.missing.length ? `${state.missing.length} missing` : '',
  ].filter(Boolean);
  lines.push('', `${target.label} is ${position(state)}: ${counts.join(', ')}`);
  return lines;
}
