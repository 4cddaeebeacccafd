/**
 * `usualstore-db migrate rehearse`: the pending migrations on a copy under a workload
 * (operations/rehearsal/). Markdown on stdout, or --json. Exit 0: rehearsed, or nothing pending;
 * 2: a statement kept the workload waiting longer than --max-app-wait (named on stderr); 1: an
 * error, or a migration that fails on the copy.
 */
import { UserError } from '../../../base/errors';
import { formatDuration } from '../../../base/text';
import { resolveDatabase } from '../../../db';
import { rehearse } from '../../../operations/rehearsal';
import { pastMaxWait, rehearsalJson, rehearsalMarkdown } from '../../../operations/rehearsal/report';
import { say, warn } from '../../output';
import type { InputOf } from '../../options';
import { database, migrations } from '../../values';

export const EXIT_TOO_LONG = 2;

function percent(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const p = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || p <= 0 || p > 100)
    throw new UserError(`--sample takes a percentage above 0 and at most 100 (got ${JSON.stringify(value)})`);
  return p;
}

export async function run(input: InputOf<'migrate rehearse'>): Promise<number> {
  const target = database(input);
  const on = input.values.on;
  const result = await rehearse({
    target,
    migrations: migrations(input),
    on: on === undefined ? undefined : resolveDatabase({ url: on, option: '--on', fallback: 'none' }),
    samplePercent: percent(input.values.sample),
    workloadFile: input.values.workload,
    clients: input.values.clients,
    rate: input.values.rate,
    lockTimeoutMs: input.values['lock-timeout'],
    lockRetries: input.values['lock-retries'],
    indexWaitMs: input.values['index-wait'],
    allowEdited: input.values['allow-edited'],
    say,
    warn,
  });
  if (!result) {
    say(`${target.label} has nothing pending; nothing to rehearse`);
    return 0;
  }
  say(input.values.json ? JSON.stringify(rehearsalJson(result), null, 2) : rehearsalMarkdown(result));
  if (result.failed) throw new UserError(`${result.failed.migration} fails on the copy: ${result.failed.error}`);
  const maxWait = input.values['max-app-wait'];
  const worst = maxWait === undefined ? undefined : pastMaxWait(result, maxWait);
  if (worst) {
    warn(
      `the workload waited ${formatDuration(worst.workload.longestWaitMs)} during ${worst.migration} statement ${worst.index} (${worst.sql.replace(/\s+/g, ' ').slice(0, 100)}), more than --max-app-wait ${formatDuration(maxWait!)}`,
    );
    return EXIT_TOO_LONG;
  }
  return 0;
}
