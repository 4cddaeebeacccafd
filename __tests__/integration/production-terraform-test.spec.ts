/**
 * production/tests/*.tftest.hcl run by `terraform test` against the synthesized production stack,
 * with a mock aws provider (its schema from the real hashicorp/aws 5.100.0 plugin): encryption,
 * privacy, IAM authentication, the managed password, the parameter group, the hook's triggers and
 * every variable validation (expect_failures). This file checks that the suite covers every
 * validated variable the stack declares, then runs it. Skips, saying why, where the production
 * app is not installed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { run } from '../support/checkout';
import { awsPluginDir, PRODUCTION_APP, PRODUCTION_STACK, productionUnavailable } from '../support/production';
import { makeHookWorkDir } from '../support/hook-stack';
import { skipUnless } from '../support/skip';
import { terraform } from '../support/terraform';

const TESTS = path.join(PRODUCTION_APP, 'tests');
const describeInstalled = skipUnless(productionUnavailable(), 'production', 'the production terraform test suite');

describeInstalled('terraform test of the production stack, with a mock aws provider', () => {
  let work: string;
  let stackDir: string;
  let synthesized: { variable: Record<string, { validation?: unknown[] }> };
  const tf = (args: string[]) => terraform(stackDir, args, { timeoutMs: 300000 });

  beforeAll(async () => {
    // Its own output directory: production-stack.spec.ts synthesizes into production/cdktf.out.
    work = makeHookWorkDir('tftest');
    const outdir = path.join(work, 'cdktf.out');
    const synth = await run(process.execPath, ['--import', 'tsx', 'main.ts'], {
      cwd: PRODUCTION_APP,
      env: { CDKTF_OUTDIR: outdir },
      timeoutMs: 120000,
    });
    if (synth.code !== 0) throw new Error(`production synth failed: ${synth.stderr}`);
    stackDir = path.join(outdir, 'stacks', PRODUCTION_STACK);
    synthesized = JSON.parse(fs.readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8'));
    // terraform test reads tests from a directory inside the configuration's.
    fs.cpSync(TESTS, path.join(stackDir, 'tests'), { recursive: true });
    const dir = awsPluginDir();
    const init = await tf(['init', '-input=false', ...(dir ? [`-plugin-dir=${dir}`] : [])]);
    if (init.code !== 0) throw new Error(`terraform init failed: ${init.stderr.trim().split('\n').slice(-3).join(' ')}`);
  }, 180000);

  afterAll(() => {
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it('has a run expecting each validated variable to fail', () => {
    const suite = fs
      .readdirSync(TESTS)
      .filter((f) => f.endsWith('.tftest.hcl'))
      .map((f) => fs.readFileSync(path.join(TESTS, f), 'utf8'))
      .join('\n');
    const validated = Object.entries(synthesized.variable)
      .filter(([, v]) => (v.validation ?? []).length > 0)
      .map(([name]) => name)
      .sort();
    expect(validated.length).toBeGreaterThan(0);
    const expected = [...suite.matchAll(/expect_failures\s*=\s*\[var\.(\w+)\]/g)].map((m) => m[1]);
    expect(validated.filter((name) => !expected.includes(name))).toEqual([]);
  });

  it('passes every run', async () => {
    const result = await tf(['test']);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/^Success! \d+ passed, 0 failed\.$/m);
    expect(result.code).toBe(0);
  }, 300000);
});
