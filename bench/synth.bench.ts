/**
 * `cdktf synth` of this app against the same CLI synthesizing an empty app (the CLI's own floor:
 * start-up, spawning the app, reading the manifest), interleaved, the fast half of several runs each
 * (bench/measure.ts). Goal: this app adds at most 0.5 s.
 */
import fs from 'node:fs';
import path from 'node:path';
import { head, ROOT, row, time } from './measure';

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

const synthSeconds = (dir: string) => time(CDKTF, ['synth'], { cwd: dir, env: { ...process.env, CHECKPOINT_DISABLE: '1' } });

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
    console.log(
      [
        head(`cdktf synth, ${RUNS} interleaved runs`),
        row('empty app', times.empty),
        row('usualstore app', times.app, times.empty, { addedSeconds: GOAL_SECONDS }),
      ].join('\n'),
    );
  } finally {
    cleanup();
  }
}

main();
