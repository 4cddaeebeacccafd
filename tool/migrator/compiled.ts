/**
 * A fast path for loading migration scripts: each file compiled to CommonJS once by esbuild (a
 * native transpiler, ~0.1 ms a file once its service runs) and kept by content checksum in
 * node_modules/.cache/usualstore-db/compiled/, then evaluated as a module. node-pg-migrate's
 * jiti (babel) took ~2.5 ms a file cold and ~0.5 ms warm, and was most of a fresh migrate up.
 *
 * Only a speed-up: whatever this path cannot do (esbuild not installed, an ES module such as a
 * migration importing an ESM-only package, a syntax error) returns undefined, and the caller
 * loads the file through jiti as node-pg-migrate does, with its error messages. The checksum
 * that edited-migration detection records is always the source file's.
 */
import fs from 'node:fs';
import Module from 'node:module';
import path from 'node:path';
import { cacheDir, writeCacheFile } from '../base/project';

type Loader = 'ts' | 'js';
const LOADERS: Record<string, Loader> = { '.ts': 'ts', '.cts': 'ts', '.js': 'js', '.cjs': 'js' };

interface Esbuild {
  transformSync(code: string, options: Record<string, unknown>): { code: string };
}
let esbuild: Esbuild | null | undefined;
function transpiler(): Esbuild | null {
  if (esbuild === undefined) {
    try {
      esbuild = require('esbuild') as Esbuild;
    } catch {
      esbuild = null;
    }
  }
  return esbuild;
}

function compiledCode(file: string, bytes: Buffer, checksum: string, loader: Loader): string | undefined {
  const cached = cacheDir('compiled', `${checksum}.cjs`);
  try {
    return fs.readFileSync(cached, 'utf8');
  } catch {
    // Not compiled yet.
  }
  const tool = transpiler();
  if (!tool) return undefined;
  let code: string;
  try {
    code = tool.transformSync(bytes.toString('utf8'), {
      loader,
      format: 'cjs',
      platform: 'node',
      target: 'node20',
      sourcefile: file,
      logLevel: 'silent',
    }).code;
  } catch {
    return undefined; // jiti will say what is wrong with the file
  }
  writeCacheFile(cached, code);
  return code;
}

interface CompilableModule {
  filename: string;
  paths: string[];
  exports: unknown;
  _compile(code: string, filename: string): void;
}
type ModuleInternals = { _nodeModulePaths(dir: string): string[]; new (id: string): CompilableModule };

/** The module's exports, or undefined when this path cannot load it. */
export function loadCompiled(file: string, bytes: Buffer, checksum: string): unknown {
  const loader = LOADERS[path.extname(file)];
  if (!loader) return undefined;
  const code = compiledCode(file, bytes, checksum, loader);
  if (code === undefined) return undefined;
  const Internal = Module as unknown as ModuleInternals;
  const module = new Internal(file);
  module.filename = file;
  module.paths = Internal._nodeModulePaths(path.dirname(file));
  try {
    module._compile(code, file);
  } catch {
    return undefined; // e.g. it requires an ES module: jiti handles that
  }
  // As jiti's interopDefault: `export default { up, down }` means what the named exports mean.
  const exports = module.exports as { default?: unknown; up?: unknown };
  return exports && exports.up === undefined && typeof exports.default === 'object' && exports.default !== null ? exports.default : exports;
}
