/**
 * `cdktf synth` of this app against the same CLI synthesizing an empty app (the CLI's own floor:
 * start-up, spawning the app, reading the manifest), interleaved, median of several runs each.
 * Goal: this app adds at most 0.5 s.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..');
const CDKTF = path.join(ROOT, 'node_modules', '.bin', 'cdktf');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const GOAL_SECONDS = 0.5;

/** A checkout of this app and an empty app side by side under .test-out (git-ignored). */
function prepare(): { app: string; empty: string; cleanup: () => void } {
  const base = fs.mkdtempSync(path.join(ROOT, '.test-out', 'bench-synth-'));
  const app = path.join(base, 'app');
  const empty = path.join(base, 'empty');
  for (const dir of [app, empty]) {
    fs.mkdirSync(dir, { recursive: true });
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
    for (const file of ['cdktf.json', 'package.json', 'tsconfig.json']) fs.copyFileSync(path.join(ROOT, file), path.join(dir, file));
  }
  fs.copyFileSync(path.join(ROOT, 'main.ts'), path.join(app, 'main.ts'));
  // The app's sources: the stacks and what they import (the shared config, its base errors).
  for (const dir of ['config', 'tool', 'stacks']) fs.cpSync(path.join(ROOT, dir), path.join(app, dir), { recursive: true });
  // The database stack hashes migrations/ at synth (the migration hook's triggers_replace).
  fs.cpSync(path.join(ROOT, 'migrations'), path.join(app, 'migrations'), { recursive: true });
  // Same cdktf.json "app" command, same loader: only what the app itself does differs.
  fs.writeFileSync(path.join(empty, 'main.ts'), "import { App } from 'cdktf';\n\nnew App().synth();\n");
  return { app, empty, cleanup: () => fs.rmSync(base, { recursive: true, force: true }) };
}

function synthSeconds(dir: string): number {
  const env = { ...process.env, CHECKPOINT_DISABLE: '1' };
  const start = process.hrtime.bigint();
  const result = spawnSync(CDKTF, ['synth'], { cwd: dir, env, encoding: 'utf8' });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (result.status !== 0) throw new Error(`cdktf synth failed in ${dir}: ${result.stderr}${result.stdout}`);
  return seconds;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function main(): void {
  fs.mkdirSync(path.join(ROOT, '.test-out'), { recursive: true });
  const { app, empty, cleanup } = prepare();
  try {
    // One unmeasured run each: the first start pays for a cold disk cache.
    synthSeconds(empty);
    synthSeconds(app);
    const times = { empty: [] as number[], app: [] as number[] };
    for (let i = 0; i < RUNS; i++) {
      times.empty.push(synthSeconds(empty));
      times.app.push(synthSeconds(app));
    }
    const floor = median(times.empty);
    const ours = median(times.app);
    const added = ours - floor;
    const fmt = (s: number) => `${s.toFixed(2)} s`;
    console.log(`cdktf synth, median of ${RUNS} interleaved runs`);
    console.log(`  empty app (floor)   ${fmt(floor)}   1.00x`);
    console.log(`  usualstore app      ${fmt(ours)}   ${(ours / floor).toFixed(2)}x`);
    console.log(
      `  added by this app   ${added >= 0 ? '+' : ''}${fmt(added)}   goal <= +${GOAL_SECONDS.toFixed(2)} s: ${added <= GOAL_SECONDS ? 'met' : 'NOT met'}`,
    );
  } finally {
    cleanup();
  }
}

main();
