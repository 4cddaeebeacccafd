// The usualstore-db command as one file (dist/usualstore-db.cjs), built from the compiled dist/
// by `npm run build` and by npm ci's prepare: loading one file instead of ~60 small CommonJS
// modules is ~30 ms of every start-up, the deploy hook's `migrate up` included. node-pg-migrate
// stays outside (ESM, imported only when a migration is loaded); pg's optional native binding
// and Cloudflare sockets are never loaded on Node. bin/usualstore-db.js falls back to the
// module files when the bundle is missing.
import { buildSync } from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
buildSync({
  entryPoints: [path.join(root, 'dist', 'tool', 'cli', 'main.js')],
  outfile: path.join(root, 'dist', 'usualstore-db.cjs'),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  external: ['node-pg-migrate', 'pg-native', 'cloudflare:sockets', 'squawk-cli', 'esbuild'],
  logLevel: 'warning',
  legalComments: 'none',
});
