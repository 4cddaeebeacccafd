// The usualstore-db command as one file (dist/usualstore-db.cjs), built from the compiled dist/
// by `npm run build` and by npm ci's prepare: loading one file instead of ~60 small CommonJS
// modules is ~30 ms of every start-up, the deploy hook's `migrate up` included. node-pg-migrate
// is a second file (dist/node-pg-migrate.cjs), required only when a migration is built, so the
// no-op run reads and compiles ~40% less (~4 ms); it leaves out what node-pg-migrate loads at
// start-up and this command never uses from it (glob and jiti: ~40 ms; the migrator lists files
// itself and imports jiti on its own when it needs it). pg's optional native binding and
// Cloudflare sockets are never loaded on Node. bin/usualstore-db.js falls back to the module
// files when the bundle is missing.
import { build } from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** What node-pg-migrate imports and this command never uses from it: glob (to list migration
 * files) and jiti (to load them), ~40 ms at start-up, and pg (its runner's own connection: the
 * migrator builds SQL with MigrationBuilder on its own connection). Stubs for node-pg-migrate's
 * imports; everyone else gets the real ones. */
const STUBS = {
  glob: 'export function glob() { throw new Error("glob is not bundled"); }',
  jiti: 'export function createJiti() { return {}; }',
  pg: 'export default { Client: class { constructor() { throw new Error("pg is not bundled with node-pg-migrate"); } } };',
};
const withoutUnused = {
  name: 'node-pg-migrate-without-unused',
  setup(build) {
    build.onResolve({ filter: /^(glob|jiti|pg)$/ }, (args) =>
      args.importer.includes(`${path.sep}node-pg-migrate${path.sep}`)
        ? { path: args.path, namespace: 'unused' }
        : { path: args.path, external: true },
    );
    build.onLoad({ filter: /.*/, namespace: 'unused' }, (args) => ({ contents: STUBS[args.path], loader: 'js' }));
  },
};

/** node-pg-migrate, for the command's bundle: the separate file below, required only when a
 * migration is built (the no-op run never needs it: ~120 KB less to read and compile). */
const nodePgMigrateApart = {
  name: 'node-pg-migrate-apart',
  setup(build) {
    build.onResolve({ filter: /^(node-pg-migrate|sucrase)$/ }, (args) => ({ path: args.path, namespace: 'apart' }));
    build.onLoad({ filter: /.*/, namespace: 'apart' }, (args) => ({
      contents: `module.exports = require(require('node:path').join(__dirname, '${args.path}.cjs'));`,
      loader: 'js',
    }));
  },
};

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  // Whitespace and comments only: names stay, so a stack trace (USUALSTORE_DEBUG=1) still reads.
  minifyWhitespace: true,
  logLevel: 'warning',
  legalComments: 'none',
};

await build({
  ...common,
  entryPoints: [path.join(root, 'dist', 'tool', 'cli', 'main.js')],
  outfile: path.join(root, 'dist', 'usualstore-db.cjs'),
  external: ['pg-native', 'cloudflare:sockets', 'squawk-cli', 'typescript', 'esbuild', 'jiti'],
  plugins: [nodePgMigrateApart],
});

await build({
  ...common,
  stdin: { contents: "export * from 'node-pg-migrate';", resolveDir: root, loader: 'js' },
  outfile: path.join(root, 'dist', 'node-pg-migrate.cjs'),
  plugins: [withoutUnused],
});

// Sucrase, which compiles migration scripts (tool/migrator/directory/compiled.ts): one file is ~22 ms to
// load where its ~100 modules take ~70 ms, and only a run with a never-compiled migration loads it.
await build({
  ...common,
  entryPoints: [path.join(root, 'node_modules', 'sucrase', 'dist', 'index.js')],
  outfile: path.join(root, 'dist', 'sucrase.cjs'),
});
