/**
 * A cdktf app's cdktf.json, as the cdktf CLI reads it: the command that synthesizes the app and
 * the directory it synthesizes into. The one reading of it, for the deploy (which runs the app
 * itself) and the app (which gets the directory from the CLI as CDKTF_OUTDIR, or reads it here).
 */
import fs from 'node:fs';
import path from 'node:path';
import { UserError } from './errors';

export const CDKTF_JSON = 'cdktf.json';
/** The CLI's default output directory. */
const DEFAULT_OUTPUT = 'cdktf.out';

export interface CdktfSettings {
  /** The app command ("node --import tsx main.ts"), split as a shell would. */
  app: string[];
  /** The output directory, absolute. */
  outdir: string;
}

export function cdktfSettings(projectDir: string): CdktfSettings {
  let json: { app?: unknown; output?: unknown };
  try {
    json = JSON.parse(fs.readFileSync(path.join(projectDir, CDKTF_JSON), 'utf8')) as typeof json;
  } catch (error) {
    throw new UserError(`cannot read ${CDKTF_JSON}: ${(error as Error).message}`);
  }
  const { app, output = DEFAULT_OUTPUT } = json;
  if (typeof app !== 'string' || !/^[\w./=@:-]+( [\w./=@:-]+)*$/.test(app.trim()))
    throw new UserError(`${CDKTF_JSON}'s "app" must be a plain command such as "node --import tsx main.ts" (got ${JSON.stringify(app)})`);
  if (typeof output !== 'string' || output.trim() === '')
    throw new UserError(`${CDKTF_JSON}'s "output" must name a directory (got ${JSON.stringify(output)})`);
  return { app: app.trim().split(' '), outdir: path.resolve(projectDir, output) };
}

/** Where the app synthesizes into: the CLI's choice (CDKTF_OUTDIR: `cdktf synth --output DIR`),
 * else cdktf.json's. */
export function appOutdir(projectDir: string, env: NodeJS.ProcessEnv = process.env): string {
  return env.CDKTF_OUTDIR ? path.resolve(env.CDKTF_OUTDIR) : cdktfSettings(projectDir).outdir;
}
