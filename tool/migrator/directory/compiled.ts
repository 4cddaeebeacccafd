/**
 * A fast path for loading migration scripts: each file compiled to CommonJS once by Sucrase
 * (~1 ms a file, ~30 ms to the first) and kept by content checksum in
 * node_modules/.cache/usualstore-db/compiled/, then evaluated as a module. node-pg-migrate's
 * jiti (babel) took ~2.5 ms a file cold and ~0.5 ms warm, and was most of a fresh migrate up.
 *
 * Only a speed-up: whatever this path cannot do (Sucrase not installed, an ES module such as a
 * migration importing an ESM-only package, a syntax error) returns undefined, and the caller
 * loads the file through jiti as node-pg-migrate does, with its error messages. The checksum
 * that edited-migration detection records is always the source file's.
 *
 * The compiled code is evaluated as a CommonJS module (its own require, module, exports) through
 * a vm.Script that keeps V8's code cache beside it (per V8 version): compiling a module is most
 * of loading one, and a long history or a fresh database loads hundreds.
 */
import fs from 'node:fs';
import Module from 'node:module';
import path from 'node:path';
import vm from 'node:vm';
import { cacheDir, writeCacheFile } from '../../base/project';

/** Sucrase's transforms for each kind of migration script: types stripped, ES modules as CommonJS. */
type Transforms = Array<'typescript' | 'imports'>;
const TRANSFORMS: Record<string, Transforms> = {
  '.ts': ['typescript', 'imports'],
  '.cts': ['typescript', 'imports'],
  '.js': ['imports'],
  '.cjs': ['imports'],
};

interface Sucrase {
  transform(code: string, options: Record<string, unknown>): { code: string };
}
let sucrase: Sucrase | null | undefined;
/** Sucrase (pure JavaScript, in this process: ~30 ms to a first file, where esbuild's service
 * took ~90 ms to start, most of a deploy's one new migration), bundled as dist/sucrase.cjs. */
function transpiler(): Sucrase | null {
  if (sucrase === undefined) {
    try {
      sucrase = require('sucrase') as Sucrase;
    } catch {
      sucrase = null;
    }
  }
  return sucrase;
}

function compiledCode(file: string, bytes: Buffer, checksum: string, transforms: Transforms): string | undefined {
  const cached = cacheDir('compiled', `${checksum}.sucrase.cjs`);
  try {
    return fs.readFileSync(cached, 'utf8');
  } catch {
    // Not compiled yet.
  }
  const tool = transpiler();
  if (!tool) return undefined;
  let code: string;
  try {
    // disableESTransforms: Node 20 runs the syntax as written.
    code = tool.transform(bytes.toString('utf8'), { transforms, filePath: file, disableESTransforms: true }).code;
  } catch {
    return undefined; // jiti will say what is wrong with the file
  }
  writeCacheFile(cached, code);
  return code;
}

/** Runs `code` as the CommonJS module `file`; its exports. */
function evaluate(file: string, code: string, checksum: string): unknown {
  const codeCache = cacheDir('compiled', `${checksum}.${process.versions.v8}.v8`);
  let cachedData: Buffer | undefined;
  try {
    cachedData = fs.readFileSync(codeCache);
  } catch {
    // First run of this file with this V8.
  }
  const script = new vm.Script(Module.wrap(code), { filename: file, cachedData });
  const module = { exports: {} as unknown, filename: file, id: file, loaded: false };
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  wrapper.call(module.exports, module.exports, Module.createRequire(file), module, file, path.dirname(file));
  module.loaded = true;
  // After running: the cache then holds the functions the module ran, compiled.
  if (!cachedData || script.cachedDataRejected) writeCacheFile(codeCache, script.createCachedData());
  return module.exports;
}

/** The module's exports, or undefined when this path cannot load it. */
export function loadCompiled(file: string, bytes: Buffer, checksum: string): unknown {
  const transforms = TRANSFORMS[path.extname(file)];
  if (!transforms) return undefined;
  const code = compiledCode(file, bytes, checksum, transforms);
  if (code === undefined) return undefined;
  let exports: { default?: unknown; up?: unknown; down?: unknown; shorthands?: unknown };
  try {
    exports = evaluate(file, code, checksum) as typeof exports;
  } catch {
    return undefined; // e.g. it requires an ES module: jiti handles that
  }
  // As jiti's interopDefault: `export default { up, down }` means what the named exports mean.
  return exports && exports.up === undefined && typeof exports.default === 'object' && exports.default !== null ? exports.default : exports;
}
