/**
 * A rehearsal as a reviewer reads it: Markdown with a table of every statement (what it locked and
 * how long it held it, what it rewrote and wrote, what the workload felt meanwhile) and two charts a
 * pull-request page renders (Mermaid): the locks each statement held, on a timeline, and the
 * workload's longest wait over the same time, with the blocking holds beside it. JSON for machines.
 */
import { formatBytes, formatDuration, plural } from '../../base/text';
import { modeEffect } from '../../migrator/verify/lock-report';
import type { Rehearsal, RehearsedStatement, WorkloadDuring } from './index';

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\s+/g, ' ').trim();
const short = (sql: string, max = 90) => {
  const one = sql.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
};
const ms = (value: number) => formatDuration(value);

/** Whether a mode keeps the application from writing (or reading) while it is held. */
export const blocks = (mode: string) => modeEffect(mode) !== 'reads and writes go on';

function locksCell(statement: RehearsedStatement): string {
  const timing = `ran ${ms(statement.end - statement.start)}, held ${ms(statement.heldUntil - statement.start)}`;
  if (statement.locks.length > 0)
    return `${statement.locks.map((l) => `${l.mode} on ${l.relation} (${modeEffect(l.mode)})`).join(', ')}: ${timing}`;
  if (statement.held.length > 0)
    return `none new (its transaction already holds ${statement.held.map((l) => `${l.mode} on ${l.relation}`).join(', ')}): ${timing}`;
  return `none on an existing relation: ${timing}`;
}

function workloadCell(w: WorkloadDuring): string[] {
  return [ms(w.longestWaitMs), ms(w.p50Ms), ms(w.p99Ms), w.errors === 0 ? '0' : `${w.errors}: ${cell(short(w.firstError ?? '', 60))}`];
}

function copyNote(r: Rehearsal): string[] {
  const lines = [
    `Rehearsed on ${r.copy.label}${r.copy.kind === 'given' ? '' : ', made for it and dropped afterwards'}: the target, ${r.target}, was not touched.`,
  ];
  if (r.copy.samplePercent !== undefined)
    lines.push(
      `The copy holds a ${r.copy.samplePercent}% sample of each table's rows (TABLESAMPLE BERNOULLI): durations, rows, bytes and WAL are the sample's, and scale with the rows for a rewrite (about ${Math.round(100 / r.copy.samplePercent)}× on the whole table); lock modes and rewrites are the same.`,
    );
  if (r.copy.kind === 'schema-only') lines.push('The copy has no rows: lock modes and rewrites are as on the target; durations are not.');
  return lines;
}

/** The Mermaid timeline of the locks each statement held. */
function lockChart(r: Rehearsal): string[] {
  const lines = [
    '```mermaid',
    'gantt',
    '    title Locks the migrations held, on the copy (since the workload began)',
    '    dateFormat x',
    '    axisFormat %M:%S.%L',
  ];
  let migration = '';
  for (const s of r.statements) {
    if (s.migration !== migration) {
      migration = s.migration;
      lines.push(`    section ${migration.replace(/[:#]/g, ' ')}`);
    }
    const locks = s.locks.length ? s.locks : s.held;
    const what = locks.length ? locks.map((l) => `${l.mode} on ${l.relation}`).join(', ') : 'no lock on an existing relation';
    const crit = locks.some((l) => blocks(l.mode)) ? 'crit, ' : '';
    lines.push(
      `    ${s.index} ${what.replace(/[:#;]/g, ' ')} :${crit}${Math.round(s.start)}, ${Math.max(Math.round(s.heldUntil), Math.round(s.start) + 1)}`,
    );
  }
  lines.push('```');
  return lines;
}

/** The Mermaid chart of the workload's longest wait per interval, and where a blocking lock was held. */
function latencyChart(r: Rehearsal): string[] {
  const end = Math.max(r.durationMs, 1);
  const bucket = Math.max(100, Math.ceil(end / 60 / 100) * 100);
  const count = Math.ceil(end / bucket);
  const longest = new Array<number>(count).fill(0);
  for (const s of r.workload.samples) {
    // A request counts in every interval it was waiting in, at the wait it had reached by then.
    for (let b = Math.floor(s.due / bucket); b < count && b * bucket < s.end; b++)
      longest[b] = Math.max(longest[b], Math.round(Math.min(s.end, (b + 1) * bucket) - s.due));
  }
  const top = Math.max(1, ...longest);
  const held = longest.map((_v, b) =>
    r.statements.some((s) => [...s.locks, ...s.held].some((l) => blocks(l.mode)) && s.start < (b + 1) * bucket && s.heldUntil > b * bucket)
      ? top
      : 0,
  );
  const labels = longest.map((_v, b) => ((b * bucket) / 1000).toFixed(1));
  return [
    '```mermaid',
    'xychart-beta',
    `    title "The workload's longest wait per ${bucket} ms (line), while a migration held a lock that blocks it (bars)"`,
    `    x-axis "s since the workload began" [${labels.join(', ')}]`,
    `    y-axis "ms" 0 --> ${top}`,
    `    bar [${held.join(', ')}]`,
    `    line [${longest.join(', ')}]`,
    '```',
  ];
}

export function rehearsalMarkdown(r: Rehearsal): string {
  const w = r.workload;
  const lines = [
    '## Rehearsal',
    '',
    ...copyNote(r),
    '',
    `Workload: ${plural(w.clients, 'connection')}, ${w.rate} requests/s in all: ${w.description}${w.skipped.length ? ` (left out: ${w.skipped.join(', ')})` : ''}. Before the first migration: p50 ${ms(w.baseline.p50Ms)}, p99 ${ms(w.baseline.p99Ms)}, longest ${ms(w.baseline.longestWaitMs)}.`,
    '',
    `${plural(r.migrations.length, 'migration')} in ${ms(r.migrationsMs)} on the copy${r.failed ? `; **${r.failed.migration} fails there**: ${cell(r.failed.error)}` : ''}.`,
    '',
    '| migration | # | statement | locks | rewrote | rows | written | WAL | temp | workload: longest wait | p50 | p99 | errors |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const s of r.statements) {
    lines.push(
      `| ${s.migration} | ${s.index} | \`${cell(short(s.sql))}\`${s.error ? ` **failed**: ${cell(short(s.error, 120))}` : ''} | ${cell(locksCell(s))} | ${s.rewrote.length ? s.rewrote.join(', ') : 'no'} | ${s.rows ?? ''} | ${formatBytes(s.bytesWritten)} | ${formatBytes(s.walBytes)} | ${formatBytes(s.tempBytesPeak)} | ${workloadCell(s.workload).join(' | ')} |`,
    );
  }
  lines.push('', ...lockChart(r), '', ...latencyChart(r), '');
  return lines.join('\n');
}

/** The same, for machines (snake_case keys; the workload's samples as [due ms, ms waiting for its
 * connection, ms in the database, error]). */
export function rehearsalJson(r: Rehearsal): unknown {
  const workload = (w: WorkloadDuring) => ({
    requests: w.requests,
    longest_wait_ms: w.longestWaitMs,
    p50_ms: w.p50Ms,
    p99_ms: w.p99Ms,
    errors: w.errors,
    ...(w.firstError ? { first_error: w.firstError } : {}),
  });
  return {
    target: r.target,
    copy: {
      kind: r.copy.kind,
      label: r.copy.label,
      ...(r.copy.samplePercent !== undefined ? { sample_percent: r.copy.samplePercent } : {}),
    },
    migrations: r.migrations,
    ...(r.failed ? { failed: r.failed } : {}),
    migrations_ms: r.migrationsMs,
    statements: r.statements.map((s) => ({
      migration: s.migration,
      index: s.index,
      sql: s.sql,
      transactional: s.transactional,
      start_ms: Math.round(s.start),
      end_ms: Math.round(s.end),
      held_until_ms: Math.round(s.heldUntil),
      locks: s.locks,
      already_held: s.held,
      rewrote: s.rewrote,
      rows: s.rows,
      bytes_written: s.bytesWritten,
      wal_bytes: s.walBytes,
      temp_bytes_peak: s.tempBytesPeak,
      ...(s.error ? { error: s.error } : {}),
      workload: {
        ...workload(s.workload),
        by_statement: Object.fromEntries(Object.entries(s.workload.byStatement).map(([k, v]) => [k, workload(v)])),
      },
    })),
    workload: {
      description: r.workload.description,
      clients: r.workload.clients,
      rate: r.workload.rate,
      statements: r.workload.statements,
      baseline: workload(r.workload.baseline),
      total: workload(r.workload.total),
      samples: r.workload.samples.map((s) => [
        Math.round(s.due),
        Math.round(s.sent - s.due),
        Math.round(s.end - s.sent),
        ...(s.error ? [s.error] : []),
      ]),
    },
  };
}

/** The statement whose workload waited longest, when that was longer than `maxMs` (--max-app-wait). */
export function pastMaxWait(r: Rehearsal, maxMs: number): RehearsedStatement | undefined {
  const worst = [...r.statements].sort((a, b) => b.workload.longestWaitMs - a.workload.longestWaitMs)[0];
  return worst && worst.workload.longestWaitMs > maxMs ? worst : undefined;
}
