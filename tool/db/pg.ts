/**
 * pg, loaded once and only when a command connects. On Node 20 pg's load-time check for
 * Cloudflare Workers (`typeof Response`, when there is no `navigator`) makes Node load its fetch
 * implementation: ~35 ms of every command's start-up. A `navigator` that says "not Cloudflare"
 * exists only while pg loads (Node 21+ has one of its own, and then nothing is changed), so no
 * other code ever sees it.
 */
let loaded: typeof import('pg') | undefined;

export function pg(): typeof import('pg') {
  if (loaded) return loaded;
  const global = globalThis as { navigator?: unknown };
  const borrowed = global.navigator === undefined;
  if (borrowed) Object.defineProperty(globalThis, 'navigator', { value: { userAgent: 'node' }, configurable: true, writable: true });
  try {
    loaded = require('pg') as typeof import('pg');
  } finally {
    if (borrowed) delete global.navigator;
  }
  return loaded;
}
