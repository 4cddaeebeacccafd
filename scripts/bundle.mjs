// The usualstore-db command as one file (dist/usualstore-db.cjs), built from the compiled dist/
// by `npm run build` and by npm ci's prepare: loading one file instead of ~60 small CommonJS
// modules is ~30 ms of every start-up, the deploy hook's `migrate up` included. node-pg-migrate
// is bundled too, without the two packages it loads at start-up and this command never uses
// from it (glob, to list migration files, and jiti, to load them: ~40 ms): the migrator lists
// files itself and imports jiti on its own when it needs it. pg's optional native binding and
// Cloudflare sockets are never loaded on Node. bin/usualstore-db.js falls back to the module
// files when the bundle is missing.
import { build } from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** glob and jiti, as node-pg-migrate imports them: stubs; for everyone else: the real ones. */
const withoutLoaders = {
  name: 'node-pg-migrate-without-loaders',
  setup(build) {
    build.onResolve({ filter: /^(glob|jiti)$/ }, (args) =>
      args.importer.includes(`${path.sep}node-pg-migrate${path.sep}`) ? { path: args.path, namespace: 'unused' } : { path: args.path, external: true },
    );
    build.onLoad({ filter: /.*/, namespace: 'unused' }, (args) => ({
      contents: args.path === 'jiti' ? 'export function createJiti() { return {}; }' : 'export function glob() { throw new Error("glob is not bundled"); }',
      loader: 'js',
    }));
  },
};

await build({
  entryPoints: [path.join(root, 'dist', 'tool', 'cli', 'main.js')],
  outfile: path.join(root, 'dist', 'usualstore-db.cjs'),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  external: ['pg-native', 'cloudflare:sockets', 'squawk-cli', 'esbuild'],
  plugins: [withoutLoaders],
  logLevel: 'warning',
  legalComments: 'none',
});
