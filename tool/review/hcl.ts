/**
 * The synthesized stacks as Terraform HCL, for reviewers: cdktf's own rendering (`cdktf synth
 * --hcl`, SYNTH_HCL_OUTPUT), then put into the HCL Terraform itself writes, since cdktf 0.21
 * renders a few things only its JSON form gets right (preconditions as a list attribute, quoted
 * depends_on, whole-string "${…}" interpolations), then `terraform fmt`. Resource by resource,
 * and a line diff of two versions of one.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** cdktf's list of condition objects as the blocks Terraform reads. */
function conditionBlocks(lines: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(precondition|postcondition|depends_on) = \[$/.exec(lines[i]);
    if (!open) {
      out.push(lines[i]);
      continue;
    }
    const [, indent, name] = open;
    const items: string[] = [];
    for (i++; i < lines.length && lines[i] !== `${indent}]`; i++) items.push(lines[i]);
    if (name === 'depends_on') {
      // "docker_container.database" (and cdktf's " (construct path)" note) as a reference.
      out.push(`${indent}depends_on = [`);
      for (const item of items) out.push(item.replace(/^(\s*)"([\w.-]+)(?: \([^)]*\))?",?$/, '$1$2,'));
      out.push(`${indent}]`);
      continue;
    }
    for (const item of items) {
      if (item === `${indent}  {`) out.push(`${indent}${name} {`);
      else if (item === `${indent}  },` || item === `${indent}  }`) out.push(`${indent}}`);
      else out.push(item.slice(2));
    }
  }
  return out;
}

/** "${expr}" as expr, when the whole string is one interpolation. */
function bareInterpolation(line: string): string {
  const m = /^(\s*[\w"./-]+\s*=\s*)"\$\{(.*)\}"(,?)$/.exec(line);
  if (!m) return line;
  let depth = 0;
  for (const ch of m[2]) {
    if (ch === '{') depth++;
    else if (ch === '}' && --depth < 0) return line;
  }
  return depth === 0 && !m[2].includes('${') ? `${m[1]}${m[2]}${m[3]}` : line;
}

/** `terraform fmt` of `hcl`, or undefined when Terraform cannot parse it. */
function fmt(hcl: string): string | undefined {
  const result = spawnSync('terraform', ['fmt', '-no-color', '-'], {
    input: hcl,
    encoding: 'utf8',
    env: { ...process.env, TF_CLI_CONFIG_FILE: '/dev/null' },
  });
  return result.status === 0 && result.stdout ? result.stdout : undefined;
}

/** cdktf's HCL of one stack as Terraform writes HCL. The app writes it unindented (the cdktf CLI
 * formats it afterwards): formatted first, so that blocks can be told apart, then fixed, then
 * formatted again. */
export function terraformHcl(cdktfHcl: string): string {
  const indented = fmt(cdktfHcl) ?? cdktfHcl;
  const fixed = conditionBlocks(indented.split('\n')).map(bareInterpolation).join('\n');
  return fmt(fixed) ?? fixed;
}

/** Each resource's block (`resource "T" "N" { … }`), by address (T.N). */
export function resourceBlocks(hcl: string): Map<string, string> {
  const blocks = new Map<string, string>();
  const lines = hcl.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const start = /^resource "([^"]+)" "([^"]+)" \{$/.exec(lines[i]);
    if (!start) continue;
    const end = lines.indexOf('}', i);
    blocks.set(`${start[1]}.${start[2]}`, lines.slice(i, end + 1).join('\n'));
    i = end;
  }
  return blocks;
}

/** The HCL of every stack in `outdir` (an app synthesized with SYNTH_HCL_OUTPUT), by stack and address. */
export function readStacksHcl(outdir: string): Map<string, Map<string, string>> {
  const stacks = new Map<string, Map<string, string>>();
  const dir = path.join(outdir, 'stacks');
  for (const stack of fs.existsSync(dir) ? fs.readdirSync(dir).sort() : []) {
    const file = path.join(dir, stack, 'cdk.tf');
    if (fs.existsSync(file)) stacks.set(stack, resourceBlocks(terraformHcl(fs.readFileSync(file, 'utf8'))));
  }
  return stacks;
}

/** A line diff of two versions of a block (' ', '-', '+' prefixes), with `context` unchanged lines
 * around each change; "…" where lines are left out. */
export function lineDiff(before: string | undefined, after: string | undefined, context = 3): string[] {
  const a = before === undefined ? [] : before.split('\n');
  const b = after === undefined ? [] : after.split('\n');
  // Longest common subsequence, from the end.
  const lcs: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--)
    for (let j = b.length - 1; j >= 0; j--) lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const ops: { kind: ' ' | '-' | '+'; line: string }[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      ops.push({ kind: ' ', line: a[i++] });
      j++;
    } else if (i < a.length && (j === b.length || lcs[i + 1][j] >= lcs[i][j + 1])) ops.push({ kind: '-', line: a[i++] });
    else ops.push({ kind: '+', line: b[j++] });
  }
  const near = ops.map((_op, k) => ops.slice(Math.max(0, k - context), k + context + 1).some((o) => o.kind !== ' '));
  const out: string[] = [];
  ops.forEach((op, k) => {
    if (near[k] || k === 0) out.push(`${op.kind}${op.line}`);
    else if (out.at(-1) !== ' …') out.push(' …');
  });
  return out;
}
