/** Reading the deploy's password as Terraform will (terraform.tfvars first, then TF_VAR_), and refusing what cannot deploy. */
import fs from 'node:fs';
import path from 'node:path';
import { deployPassword } from '../../../tool/deploy/password';
import { NO_PASSWORD_FILE } from '../../../config/deploy-password';
import { hclStringVariable } from '../../../tool/base/hcl';
import { tempDir } from '../../support/temp';

describe('hclStringVariable', () => {
  it.each([
    ['postgres_password = "plain"', 'plain'],
    ['  postgres_password="no spaces"  # comment', 'no spaces'],
    ['other = "x"\npostgres_password = "second line"\n', 'second line'],
    ['postgres_password = "q\\"uote\\\\back\\nline\\ttab"', 'q"uote\\back\nline\ttab'],
    ['postgres_password = "\\u00e9\\U0001F600"', 'é😀'],
    ['postgres_password = "$${literal} %%{too}"', '${literal} %{too}'],
    ['postgres_password = "a$b%c"', 'a$b%c'],
  ])('reads %j', (text, value) => {
    expect(hclStringVariable(text, 'postgres_password')).toBe(value);
  });

  it('is null when the variable is not set (only a similar name, or a comment)', () => {
    expect(hclStringVariable('postgres_password_old = "x"\n# postgres_password = "y"', 'postgres_password')).toBeNull();
  });

  it.each([
    ['a template', 'postgres_password = "${file("pw")}"'],
    ['a heredoc', 'postgres_password = <<EOT\nx\nEOT'],
    ['an expression', 'postgres_password = var.x'],
    ['an unterminated string', 'postgres_password = "abc\n'],
    ['an unknown escape', 'postgres_password = "a\\qb"'],
  ])('is undefined (only Terraform can say) for %s', (_name, text) => {
    expect(hclStringVariable(text, 'postgres_password')).toBeUndefined();
  });
});

describe('deployPassword', () => {
  let dir: string;
  beforeEach(() => (dir = tempDir('pw')));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const tfvars = (text: string) => fs.writeFileSync(path.join(dir, 'terraform.tfvars'), text);

  it('takes terraform.tfvars over TF_VAR_postgres_password, as the deploy scripts hand it to Terraform', () => {
    tfvars('postgres_password = "from-file"\n');
    expect(deployPassword(dir, { TF_VAR_postgres_password: 'from-env' })).toEqual({ value: 'from-file', source: 'terraform.tfvars' });
  });

  it('takes TF_VAR_postgres_password without terraform.tfvars', () => {
    expect(deployPassword(dir, { TF_VAR_postgres_password: 'from-env' })).toEqual({
      value: 'from-env',
      source: 'TF_VAR_postgres_password',
    });
  });

  it('keeps the password file an earlier deploy wrote when neither is set', () => {
    fs.mkdirSync(path.join(dir, '.secrets'));
    fs.writeFileSync(path.join(dir, '.secrets', 'postgres-password'), 'written-before');
    expect(deployPassword(dir, {})).toEqual({ kept: true });
  });

  it.each([
    ['no file and no variable (and no password file)', undefined, {}, NO_PASSWORD_FILE],
    [
      'a file without the variable',
      'other = "x"\n',
      {},
      'terraform.tfvars does not set postgres_password; add the line postgres_password = "…" (see terraform.tfvars.example)',
    ],
    ['an empty password', 'postgres_password = ""\n', {}, 'postgres_password in terraform.tfvars is empty; set a real password'],
    [
      'the placeholder',
      'postgres_password = "CHANGE-ME"\n',
      {},
      'postgres_password in terraform.tfvars is still the placeholder from terraform.tfvars.example; set a real password',
    ],
    [
      'the placeholder in the environment',
      undefined,
      { TF_VAR_postgres_password: 'CHANGE-ME' },
      'postgres_password in TF_VAR_postgres_password is still the placeholder from terraform.tfvars.example; set a real password',
    ],
    [
      'a password only Terraform could evaluate',
      'postgres_password = "${file("secret")}"\n',
      {},
      'postgres_password in terraform.tfvars is not a plain string (a template or a heredoc): the deploy writes it to the container\'s password file, so give it as postgres_password = "…"',
    ],
  ])('refuses %s in one line', (_name, file, env, message) => {
    if (file !== undefined) tfvars(file);
    expect(deployPassword(dir, env)).toEqual({ refusal: message });
  });
});
