/**
 * Splitting SQL text into its statements, as psql does: at each `;` that is not inside a string
 * ('…', E'…' with backslash escapes), a quoted identifier ("…"), a dollar-quoted body ($$…$$,
 * $tag$…$tag$), a comment (-- to the end of the line, nested /* … *\/), or a BEGIN ATOMIC … END
 * function body. Needed where statements must run one by one: a pgm.noTransaction() migration
 * (CREATE INDEX CONCURRENTLY refuses to run in the implicit transaction of a multi-statement
 * query), and the per-statement lock report of migrate plan. Pure.
 */

/** The statements of `sql`, each without its `;`, trimmed; comment-only and empty ones dropped. */
export function splitStatements(sql: string): string[] {
  return statementSpans(sql).map((span) => span.text);
}

/** A statement of an SQL text and where it starts in it (the offset of its first character). */
export interface StatementSpan {
  text: string;
  start: number;
}

/** splitStatements, with where each statement starts: to say which one an error position is in. */
export function statementSpans(sql: string): StatementSpan[] {
  const statements: StatementSpan[] = [];
  let start = 0;
  let atomicDepth = 0;
  let i = 0;
  const n = sql.length;
  const push = (end: number) => {
    const raw = sql.slice(start, end);
    const text = raw.trim();
    if (withoutComments(text).trim() !== '') statements.push({ text, start: start + raw.indexOf(text) });
  };
  while (i < n) {
    const c = sql[i];
    const next = sql[i + 1];
    if (c === '-' && next === '-') {
      const end = sql.indexOf('\n', i);
      i = end < 0 ? n : end + 1;
    } else if (c === '/' && next === '*') {
      let depth = 1;
      i += 2;
      while (i < n && depth > 0) {
        if (sql[i] === '/' && sql[i + 1] === '*') [depth, i] = [depth + 1, i + 2];
        else if (sql[i] === '*' && sql[i + 1] === '/') [depth, i] = [depth - 1, i + 2];
        else i++;
      }
    } else if (c === "'") {
      // E'…' (and e'…') takes backslash escapes; a standard string only ''.
      const escapes = i > 0 && /[eE]/.test(sql[i - 1]) && (i < 2 || !/[\w$]/.test(sql[i - 2]));
      i++;
      while (i < n) {
        if (escapes && sql[i] === '\\') i += 2;
        else if (sql[i] === "'" && sql[i + 1] === "'") i += 2;
        else if (sql[i] === "'") break;
        else i++;
      }
      i++;
    } else if (c === '"') {
      i++;
      while (i < n && !(sql[i] === '"' && sql[i + 1] !== '"')) i += sql[i] === '"' ? 2 : 1;
      i++;
    } else if (c === '$' && (i === 0 || !/[\w$]/.test(sql[i - 1]))) {
      // $tag$ where the tag is empty or an identifier ($1 is a parameter, not a quote).
      const tag = /^\$(?:[A-Za-z_\u0080-\uffff][\w\u0080-\uffff]*)?\$/.exec(sql.slice(i, i + 66))?.[0];
      if (!tag) i++;
      else {
        const end = sql.indexOf(tag, i + tag.length);
        i = end < 0 ? n : end + tag.length;
      }
    } else if (/[A-Za-z_]/.test(c) && (i === 0 || !/[\w$]/.test(sql[i - 1]))) {
      const word = /^[A-Za-z_][\w$]*/.exec(sql.slice(i, i + 64))![0].toLowerCase();
      // BEGIN ATOMIC … END (SQL-standard function bodies) holds `;`s; CASE … END nests in it.
      if (word === 'begin' && /^\s+atomic\b/i.test(sql.slice(i + 5, i + 20))) atomicDepth++;
      else if (word === 'case' && atomicDepth > 0) atomicDepth++;
      else if (word === 'end' && atomicDepth > 0) atomicDepth--;
      i += word.length;
    } else if (c === ';' && atomicDepth === 0) {
      push(i);
      start = i + 1;
      i++;
    } else i++;
  }
  push(n);
  return statements;
}

/** The text with its comments removed (strings are not looked into: only used to tell a statement
 * made of comments alone). */
function withoutComments(text: string): string {
  return text.replace(/--[^\n]*/g, '').replace(/\/\*[\s\S]*?\*\//g, '');
}

/**
 * A statement of a pgm.noTransaction() migration as it can run inside a transaction, for building
 * the migrations' schema in a scratch schema (drift, adopt): CONCURRENTLY dropped (it changes how
 * an index is built, not what it is), and statements that change no schema and cannot run in a
 * transaction block (VACUUM, REINDEX, CLUSTER, CHECKPOINT) left out (undefined).
 */
export function inTransactionForm(statement: string): string | undefined {
  const bare = withoutComments(statement).trim();
  if (/^(vacuum|reindex|cluster|checkpoint)\b/i.test(bare)) return undefined;
  if (/^(create\s+(unique\s+)?index|drop\s+index)\s+concurrently\b/i.test(bare)) return bare.replace(/\s+concurrently\b/i, '');
  if (/^alter\s+table\b[\s\S]*\bdetach\s+partition\b[\s\S]*\bconcurrently\b/i.test(bare))
    return bare.replace(/\s+concurrently\b(?![\s\S]*\bconcurrently\b)/i, '');
  return statement;
}
