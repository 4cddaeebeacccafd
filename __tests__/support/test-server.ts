/**
 * Starting and stopping the throw-away PostgreSQL that the tests use. Used by Jest's global
 * setup for the whole run, and by tests that need a server started with particular flags.
 */
import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

export interface TestServer {
  /** Superuser URL to the server's `postgres` database. */
  url: string;
  port: number;
  dataDir: string;
  stop(): Promise<void>;
  /** Immediate shutdown (as a crash: unflushed WAL is lost) and start again; resolves when the
   * server accepts connections once more. */
  restartImmediately(): Promise<void>;
}

export const TEST_SERVER_SCRIPT = path.join(__dirname, 'postgres-server.mjs');

export interface StartOptions {
  /** Another copy of postgres-server.mjs (with the node_modules beside it). */
  script?: string;
  env?: NodeJS.ProcessEnv;
}

/** Starts embedded PostgreSQL 15 in a child process; `flags` go to the postgres binary. */
export function startTestServer(flags: string[] = [], options: StartOptions = {}): Promise<TestServer> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(process.execPath, [options.script ?? TEST_SERVER_SCRIPT, ...flags], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: options.env ?? process.env,
    });
    let out = '';
    let err = '';
    let restarted: (() => void) | undefined;
    child.stderr!.on('data', (d) => (err += d));
    child.stdout!.on('data', (d) => {
      out += d;
      for (let nl = out.indexOf('\n'); nl >= 0; nl = out.indexOf('\n')) {
        const line = JSON.parse(out.slice(0, nl)) as { url: string; port: number; dataDir: string; restarted?: true };
        out = out.slice(nl + 1);
        if (line.restarted) restarted?.();
        else ready(line);
      }
    });
    const ready = (info: { url: string; port: number; dataDir: string }) =>
      resolve({
        ...info,
        restartImmediately: () =>
          new Promise<void>((done) => {
            restarted = done;
            child.kill('SIGUSR2');
          }),
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    child.once('exit', (code) => reject(new Error(`test PostgreSQL exited (${code}) before it was ready: ${err.trim()}`)));
  });
}
