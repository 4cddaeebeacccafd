/**
 * TypeScript migrations type-checked as `npm run build` checks the project's own (its
 * tsconfig.json's compiler options), so that `pgm.addColum(...)` is a lint finding with tsc's
 * "Did you mean 'addColumn'?" instead of an error when the migration runs. A migrations
 * directory outside the project resolves its imports (node-pg-migrate's types) from the project,
 * where they are installed. TypeScript is a devDependency, as squawk is: loaded only when a
 * TypeScript migration is linted.
 */
import fs from 'node:fs';
import path from 'node:path';
import type TypeScript from 'typescript';
import { UserError } from '../../base/errors';
import type { MigrationFile } from '../directory';

/** A type error in a migration: its file's line, tsc's message and the line's text. */
export interface MigrationTypeError {
  file: MigrationFile;
  line: number;
  message: string;
  text: string;
}

function typescript(exitCode: number): typeof TypeScript {
  try {
    return require('typescript') as typeof TypeScript;
  } catch {
    throw new UserError('typescript is not installed (a devDependency of this project): run npm ci', exitCode);
  }
}

/** The type errors of the TypeScript files among `files`; `exitCode` for TypeScript missing. */
export function typeErrors(files: MigrationFile[], projectDir: string, exitCode: number): MigrationTypeError[] {
  const checked = files.filter((file) => file.path.endsWith('.ts'));
  if (checked.length === 0) return [];
  const ts = typescript(exitCode);
  const configFile = path.join(projectDir, 'tsconfig.json');
  const config = fs.existsSync(configFile) ? ts.readConfigFile(configFile, ts.sys.readFile).config : {};
  const { options } = ts.parseJsonConfigFileContent(config ?? {}, ts.sys, projectDir);
  // The migrations' own types, not the tests' globals (jest) nor an output.
  Object.assign(options, { noEmit: true, types: ['node'], typeRoots: [path.join(projectDir, 'node_modules', '@types')] });
  const host = ts.createCompilerHost(options);
  const fromProject = path.join(projectDir, 'migration.ts');
  host.resolveModuleNames = (names, containing) =>
    names.map(
      (name) =>
        ts.resolveModuleName(name, containing, options, host).resolvedModule ??
        ts.resolveModuleName(name, fromProject, options, host).resolvedModule,
    );
  const program = ts.createProgram(
    checked.map((file) => file.path),
    options,
    host,
  );
  const byPath = new Map(checked.map((file) => [path.resolve(file.path), file]));
  const errors: MigrationTypeError[] = [];
  for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
    const file = diagnostic.file && byPath.get(path.resolve(diagnostic.file.fileName));
    if (!file || diagnostic.start === undefined || diagnostic.category !== ts.DiagnosticCategory.Error) continue;
    const { line } = diagnostic.file!.getLineAndCharacterOfPosition(diagnostic.start);
    errors.push({
      file,
      line: line + 1,
      message: `TS${diagnostic.code}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ')}`,
      text: diagnostic.file!.text.split('\n')[line].trim(),
    });
  }
  return errors;
}
