#!/usr/bin/env node
// The CLI is compiled to dist/ by `npm ci` (the prepare script) or `npm run build`: running it
// through a TypeScript loader would add more start-up time than the whole no-op `migrate up`.
'use strict';
const path = require('node:path');
const entry = path.join(__dirname, '..', 'dist', 'tool', 'cli', 'main.js');
try {
  require.resolve(entry);
} catch {
  process.stderr.write('usualstore-db: not built yet; run `npm run build` (npm ci does it too)\n');
  process.exit(1);
}
require(entry);
