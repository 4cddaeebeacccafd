#!/usr/bin/env node
// The CLI is compiled to dist/ by `npm ci` (the prepare script) or `npm run build`: running it
// through a TypeScript loader would add more start-up time than the whole no-op `migrate up`.
// dist/usualstore-db.cjs is the same code bundled into one file (faster to load); the module
// files are the fallback.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const dist = path.join(__dirname, '..', 'dist');
const entry = [path.join(dist, 'usualstore-db.cjs'), path.join(dist, 'tool', 'cli', 'main.js')].find((file) => fs.existsSync(file));
if (!entry) {
  process.stderr.write('usualstore-db: not built yet; run `npm run build` (npm ci does it too)\n');
  process.exit(1);
}
// Node 22.1+ keeps compiled code between runs (Node 20 has no such cache: nothing happens there).
const { enableCompileCache } = require('node:module');
if (typeof enableCompileCache === 'function') {
  try {
    enableCompileCache(path.join(__dirname, '..', 'node_modules', '.cache', 'usualstore-db', 'v8'));
  } catch {
    // A read-only tree: run without the cache.
  }
}
require(entry);
