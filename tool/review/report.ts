/**
 * `usualstore-db review`: one Markdown report of what a change (this checkout against the merge
 * base with main) will do, for a pull-request comment: the stacks' resources that change (both
 * sides synthesized, resource by resource: created, replaced, changed in place or destroyed, and
 * their HCL as a diff), the migrations that will run with their SQL, the
 * edited or deleted ones, the lint findings, and a database's drift when one is given.
 * Deterministic and safe to post: names and SQL only, no path of this machine, no secret (the
 * synthesized JSON holds none, which the synth tests check).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { cdktfSettings } from '../base/cdktf-json';
import { UserError } from '../base/errors';
import { git } from '../base/git';
import { oneLine, plural } from '../base/text';
import type { DatabaseTarget } from '../db';
import { describeDrift, driftOf } from '../migrator/verify/drift';
import type { MigrationFile, MigrationsDirectory } from '../migrator/directory';
import { historyAtBase } from '../migrator/history/at-base';
import { verifyPending } from '../operations/rehearsal/plan-on-copy';
import { rehearse } from '../operations/rehearsal';
import { rehearsalMarkdown } from '../operations/rehearsal/report';
import { lintMigrations, offlineSql } from '../migrator/verify/lint';
import type { Check } from './junit';
import { lineDiff, readStacksHcl } from './hcl';
import { resourceChanges, type StackResources } from './resource-changes';

export interface ReviewOptions {
  projectDir: string;
  migrations: MigrationsDirectory;
  /** What to compare with (a git ref); default: the merge base with origin/main, else main. */
  base?: string;
  /** A database to check for drift, when given explicitly. */
  target?: DatabaseTarget;
  /** The drift check's lock bound. */
  lockTimeoutMs: number;
  /** --live: the database given is live whatever its address (its plan is verified on a copy). */
  live?: boolean;
  /** --on: a copy of the database given, to rehearse the pending migrations on, under a workload. */
  rehearseOn?: DatabaseTarget;
}

/** Synthesizes the app in `appDir` into `outdir` (inside appDir); resources by stack and address,
 * and, synthesized again as HCL into `hclOutdir`, each resource's HCL. */
function synthesize(
  appDir: string,
  outdir: string,
  hclOutdir: string,
): { resources: Map<string, StackResources>; hcl: Map<string, Map<string, string>> } {
  for (const [dir, hcl] of [
    [outdir, false],
    [hclOutdir, true],
  ] as const) {
    // The app as cdktf.json runs it (a node command: this node runs it).
    const [command, ...args] = cdktfSettings(appDir).app;
    const result = spawnSync(command === 'node' ? process.execPath : command, args, {
      cwd: appDir,
      env: { ...process.env, CDKTF_OUTDIR: dir, SYNTH_HCL_OUTPUT: String(hcl) },
      encoding: 'utf8',
    });
    if (result.status !== 0) throw new UserError(`synth in ${path.basename(appDir)} failed: ${oneLine(result.stderr).slice(0, 300)}`);
  }
  const resources = new Map<string, StackResources>();
  const stacksDir = path.join(appDir, outdir, 'stacks');
  for (const stack of fs.readdirSync(stacksDir).sort()) {
    const json = JSON.parse(fs.readFileSync(path.join(stacksDir, stack, 'cdk.tf.json'), 'utf8')) as {
      resource?: Record<string, Record<string, Record<string, unknown>>>;
    };
    const byAddress: StackResources = new Map();
    for (const [type, byName] of Object.entries(json.resource ?? {}))
      for (const [name, body] of Object.entries(byName)) byAddress.set(`${type}.${name}`, body);
    resources.set(stack, byAddress);
  }
  return { resources, hcl: readStacksHcl(path.join(appDir, hclOutdir)) };
}

/** The infrastructure section: a line per resource that changes, saying what Terraform will do
 * with it, then each one's HCL, as a diff. */
function infrastructure(before: ReturnType<typeof synthesize>, after: ReturnType<typeof synthesize>): string[] {
  const changes = resourceChanges(before.resources, after.resources);
  if (changes.length === 0) return ['No resource changes.', ''];
  const lines = changes.map(
    (c) =>
      `- \`${c.stack}\`: \`${c.address}\` **${c.action}**${c.attributes.length ? ` (${c.attributes.map((a) => `\`${a}\``).join(', ')})` : ''}${c.note ? `: ${c.note}` : ''}`,
  );
  lines.push('', 'As Terraform HCL (`cdktf synth --hcl`):', '');
  for (const c of changes) {
    const diff = lineDiff(before.hcl.get(c.stack)?.get(c.address), after.hcl.get(c.stack)?.get(c.address));
    lines.push('```diff', `# ${c.stack}: ${c.address} (${c.action})`, ...diff, '```', '');
  }
  return lines;
}

export interface Review {
  /** The Markdown report. */
  markdown: string;
  /** Its checks, for a JUnit report (junit.ts). */
  checks: Check[];
}

export async function reviewReport(options: ReviewOptions): Promise<Review> {
  const { projectDir, migrations } = options;
  const history = historyAtBase(migrations, options.base);
  if ('unavailable' in history) throw new UserError(`nothing to compare with: ${history.unavailable}; pass --base REF`);
  const { ref, commit, state, verdict } = history;
  const work = path.join(projectDir, '.review');
  fs.rmSync(work, { recursive: true, force: true });
  fs.mkdirSync(work, { recursive: true });
  const baseTree = path.join(work, 'base');
  try {
    // The base as a checkout of its own (a git worktree), synthesized the same way.
    git(projectDir, ['worktree', 'add', '--detach', '--force', baseTree, commit]);
    if (!fs.existsSync(path.join(baseTree, 'node_modules')))
      fs.symlinkSync(path.join(projectDir, 'node_modules'), path.join(baseTree, 'node_modules'), 'dir');
    const before = synthesize(baseTree, path.relative(baseTree, cdktfSettings(baseTree).outdir), '.review-hcl');
    // One level deep, like cdktf.out, so that the relative paths in the JSON compare.
    const after = synthesize(projectDir, '.review-synth', '.review-hcl');

    // The base's migrations are what a database at the base has applied (migrator/history/at-base.ts).
    const added = state.pending;
    const edited = state.files.filter((file) => state.edited.includes(file.name));
    const deleted = state.missing;
    const recorded = new Map(state.applied.map((m) => [m.name, m.checksum]));

    const checks: Check[] = [];
    const lines = [
      `# usualstore-db review`,
      '',
      `Compared with \`${ref}\` (merge base \`${commit.slice(0, 12)}\`).`,
      '',
      '## Infrastructure (synthesized Terraform)',
      '',
    ];
    lines.push(...infrastructure(before, after));

    lines.push('## Migrations', '');
    const changed = state.files.filter((file) => recorded.has(file.name) && recorded.get(file.name) !== migrations.checksum(file));
    if (added.length + changed.length + deleted.length === 0) lines.push('No migration added, edited or deleted.', '');
    if (verdict.refusal) lines.push(`**migrate up would refuse this change** on a database at \`${ref}\`: ${verdict.refusal}`, '');
    checks.push({
      suite: 'history',
      name: `migrate up on a database at ${ref}`,
      ...(verdict.refusal ? { failure: { message: verdict.refusal } } : {}),
    });
    if (added.length) {
      lines.push(`${plural(added.length, 'migration')} will run on the next deploy, in this order:`, '');
      for (const sql of await offlineSql(added)) {
        lines.push(
          `### ${sql.name}${sql.transactional ? '' : ' (outside a transaction: pgm.noTransaction())'}`,
          '',
          '```sql',
          ...sql.steps,
          '```',
          '',
        );
      }
    }
    if (changed.length) {
      // An edit whose earlier checksum is in superseded-checksums.json is accepted where it was applied.
      const describe = (file: MigrationFile) =>
        `\`${file.name}\`${edited.includes(file) ? '' : ' (its earlier checksum is listed in superseded-checksums.json: accepted where applied)'}`;
      lines.push(
        `**Edited** (applied databases refuse an edited migration unless it is reverted, accepted with \`migrate accept\`, or its earlier checksum is superseded): ${changed.map(describe).join(', ')}`,
        '',
      );
    }
    if (deleted.length)
      lines.push(
        `**Deleted** (applied databases keep their record; \`migrate forget\` drops it): ${deleted.map((n) => `\`${n}\``).join(', ')}`,
        '',
      );

    lines.push('## Lint (squawk)', '');
    const linted = [...added, ...changed];
    if (linted.length === 0) lines.push('Nothing to lint.', '');
    else {
      const lint = await lintMigrations({ migrations, projectDir, names: linted.map((file: MigrationFile) => file.name) });
      if (lint.findings.length === 0) lines.push(`No findings in ${plural(linted.length, 'migration')}.`, '');
      else lines.push(...lint.findings.map((f) => `- \`${f.migration}\`: **${f.rule}**: ${f.message} (in \`${f.statement}\`)`), '');
      for (const name of lint.linted) {
        const found = lint.findings.filter((f) => f.migration === name);
        const failure =
          found.length === 0
            ? {}
            : {
                failure: {
                  message: found.map((f) => `${f.rule} (${f.level})`).join(', '),
                  detail: found.map((f) => `${f.rule}: ${f.message} in ${f.statement}`).join('\n'),
                },
              };
        checks.push({ suite: 'lint', name, ...failure });
      }
    }

    if (options.target) {
      // What migrate plan measures on that database: each pending statement's locks (migrator/verify/lock-report.ts).
      lines.push(
        '## Locks',
        '',
        `What each migration pending on \`${options.target.label}\` locks there, measured by \`migrate plan\` (rolled back), beside squawk:`,
        '',
      );
      try {
        const plan: string[] = [];
        // Never a migration statement on a live database: a schema-only copy there (plan-on-copy.ts).
        await verifyPending({
          target: options.target,
          migrations,
          lockTimeoutMs: options.lockTimeoutMs,
          allowEdited: false,
          say: (line) => plan.push(line),
          warn: () => {},
          summary: false,
          live: options.live,
        });
        lines.push('```sql', ...plan.filter((line, i, all) => line !== '' || i < all.length - 1), '```', '');
      } catch (error) {
        if (!(error instanceof UserError)) throw error;
        lines.push(`- not measured: ${error.message}`, '');
      }
      if (options.rehearseOn) {
        // The rehearsal's figures are measured, so they change from run to run.
        try {
          const rehearsal = await rehearse({
            target: options.target,
            migrations,
            on: options.rehearseOn,
            clients: 4,
            rate: 100,
            lockTimeoutMs: options.lockTimeoutMs,
            lockRetries: 3,
            indexWaitMs: 300_000,
            allowEdited: false,
            say: () => {},
            warn: () => {},
          });
          lines.push(...(rehearsal ? rehearsalMarkdown(rehearsal).split('\n') : ['## Rehearsal', '', 'Nothing pending to rehearse.', '']));
        } catch (error) {
          if (!(error instanceof UserError)) throw error;
          lines.push('## Rehearsal', '', `- not rehearsed: ${error.message}`, '');
        }
      }
      lines.push('## Drift', '');
      // The report is written whatever drift can judge: what it could not is said in it.
      try {
        const drift = await driftOf({ target: options.target, migrations, lockTimeoutMs: options.lockTimeoutMs, warn: () => {} });
        lines.push(...describeDrift(drift).map((line) => `- ${line}`), '');
        const failure =
          drift.differences.length === 0
            ? {}
            : { failure: { message: plural(drift.differences.length, 'difference'), detail: drift.differences.join('\n') } };
        checks.push({ suite: 'drift', name: drift.database, ...failure });
      } catch (error) {
        if (!(error instanceof UserError)) throw error;
        lines.push(`- not judged: ${error.message}`, '');
        checks.push({ suite: 'drift', name: options.target.label, skipped: error.message });
      }
    }
    return { markdown: lines.join('\n').replace(/\n+$/, '\n'), checks };
  } finally {
    spawnSync('git', ['worktree', 'remove', '--force', baseTree], { cwd: projectDir });
    fs.rmSync(work, { recursive: true, force: true });
    for (const dir of ['.review-synth', '.review-hcl']) fs.rmSync(path.join(projectDir, dir), { recursive: true, force: true });
  }
}
