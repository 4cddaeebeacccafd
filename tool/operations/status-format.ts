/**
 * `status` for people: a two-column table of the figures, the tables by size, then warnings.
 */
import { formatBytes } from '../base/text';
import type { StatusReport } from './status';

function rows(pairs: [string, string][]): string[] {
  const width = Math.max(...pairs.map(([key]) => key.length)) + 2;
  return pairs.map(([key, value]) => `${key.padEnd(width)}${value}`);
}

export function formatStatusReport(report: StatusReport, label: string): string[] {
  if (!report.reachable) {
    // The reason is the one warning an unreachable report has.
    return rows([
      ['database', label],
      ['url', report.url],
      ['reachable', `no: ${report.warnings.join('; ').replace(/^unreachable: /, '')}`],
    ]);
  }
  const m = report.migrations!;
  const lines = rows([
    ['database', label],
    ['url', report.url],
    ['reachable', 'yes'],
    ['server version', report.server_version!],
    ['connections', `${report.connections!.used} used of ${report.connections!.max}`],
    ['database size', `${formatBytes(report.database_size_bytes!)} (${report.database_size_bytes} bytes)`],
    [
      'migrations',
      `${m.applied.length} applied, ${m.pending.length} pending, ${m.edited.length} edited${m.applied.length ? ` (newest ${m.applied.at(-1)})` : ''}`,
    ],
    ['migration lock', report.migration_lock ? `held by ${report.migration_lock.description}` : 'free'],
  ]);
  lines.push('');
  if (report.tables.length === 0) lines.push('no tables');
  else lines.push(...rows([['table', 'size'], ...report.tables.map((t): [string, string] => [t.name, formatBytes(t.total_bytes)])]));
  if (report.warnings.length > 0) lines.push('', ...report.warnings.map((w) => `WARNING: ${w}`));
  return lines;
}
