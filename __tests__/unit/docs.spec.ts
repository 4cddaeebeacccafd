/**
 * The README and docs/ hold up: every relative link and anchor leads somewhere, every
 * `./usualstore-db …` example names a command of the command table with options it takes, every
 * `npm run …` names a script, and the README stays short enough to read in ten minutes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { COMMANDS } from '../../tool/cli/table';
import { CONNECTION_OPTIONS, GLOBAL_OPTIONS } from '../../tool/cli/options';
import { PROJECT_ROOT } from '../support/cli';

const DOCS = ['README.md', ...fs.readdirSync(path.join(PROJECT_ROOT, 'docs')).map((f) => `docs/${f}`)];
const text = (file: string) => fs.readFileSync(path.join(PROJECT_ROOT, file), 'utf8');

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
const slug = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\w\- ]/g, '')
    .replace(/ /g, '-');
const anchors = (file: string) => new Set([...text(file).matchAll(/^#{1,6} (.+)$/gm)].map((m) => slug(m[1])));

describe.each(DOCS)('%s', (file) => {
  const content = text(file);

  it('links only to files and headings that exist', () => {
    const broken: string[] = [];
    for (const [, target] of content.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:/.test(target)) continue; // a web address
      const [where, anchor] = target.split('#');
      const linked = where === '' ? file : path.normalize(path.join(path.dirname(file), where));
      if (!fs.existsSync(path.join(PROJECT_ROOT, linked))) broken.push(`${target}: no file ${linked}`);
      else if (anchor && linked.endsWith('.md') && !anchors(linked).has(anchor))
        broken.push(`${target}: no heading #${anchor} in ${linked}`);
    }
    expect(broken).toEqual([]);
  });

  it('shows only commands and options the command table has', () => {
    const wrong: string[] = [];
    for (const [example] of content.matchAll(/\.\/usualstore-db(?: [^`\n|]*)?/g)) {
      const words = example.split(/\s+/).slice(1);
      if (words.length === 0 || words[0].startsWith('-') || words[0].startsWith('<')) continue; // ./usualstore-db --help, <command>
      const spec = COMMANDS.find((c) => c.words.every((w, i) => words[i] === w));
      if (!spec) {
        wrong.push(`${example}: no such command`);
        continue;
      }
      const options = { ...(spec.connects ? CONNECTION_OPTIONS : {}), ...spec.options, ...GLOBAL_OPTIONS };
      for (const word of words.slice(spec.words.length)) {
        const option = /^--([a-z-]+)/.exec(word)?.[1];
        if (option && !(option in options) && !spec.passThrough) wrong.push(`${example}: ${spec.words.join(' ')} has no --${option}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(content).not.toMatch(/npx usualstore-db/);
  });

  it('runs only npm scripts that exist', () => {
    const scripts = (JSON.parse(text('package.json')) as { scripts: Record<string, string> }).scripts;
    // In code: `npm run NAME`, `npm run -s NAME`.
    const missing = [...content.matchAll(/`[^`\n]*`|^ {4}.*$/gm)]
      .flatMap((m) => [...m[0].matchAll(/npm run(?: -s)? ([a-z:-]+)/g)].map((n) => n[1]))
      .filter((name) => !(name in scripts));
    expect([...new Set(missing)]).toEqual([]);
  });
});

it('the README is short enough to read in ten minutes (at most 3,500 words), and has a table of contents', () => {
  const readme = text('README.md');
  expect(readme.split(/\s+/).filter(Boolean).length).toBeLessThanOrEqual(3500);
  expect(readme).toMatch(/^## Contents$/m);
  expect(readme).toMatch(/^## Where to make the five common changes$/m);
});

it("the README's command table lists every command of the command table", () => {
  const readme = text('README.md');
  const section = readme.slice(readme.indexOf('## The usualstore-db command'));
  const firstCells = [...section.matchAll(/^\| (`[^|]*) \|/gm)].map((m) => m[1]).join(' ');
  const missing = COMMANDS.map((c) => c.words.join(' ')).filter((name) => !firstCells.includes(`\`${name}`));
  expect(missing).toEqual([]);
});
