/** cdktf's HCL as Terraform writes it, resource by resource, and the diff the review shows (tool/review/hcl.ts). */
import { lineDiff, resourceBlocks, terraformHcl } from '../../../tool/review/hcl';

// As the app writes it with SYNTH_HCL_OUTPUT (unindented: the cdktf CLI formats it later).
const CDKTF_HCL = `resource "docker_volume" "v" {
name = "v"
lifecycle {
prevent_destroy = true
precondition = [
{
condition = "\${local.deploy_refusals == ""}"
error_message = "\${local.deploy_refusals}"
},
]
}
}
resource "terraform_data" "record" {
input = {
volume = "v"
}
depends_on = [
"docker_volume.v",
]
}`;

describe('terraformHcl', () => {
  it('writes preconditions as blocks, depends_on as references, whole-string interpolations bare, formatted', () => {
    const blocks = resourceBlocks(terraformHcl(CDKTF_HCL));
    expect([...blocks.keys()]).toEqual(['docker_volume.v', 'terraform_data.record']);
    expect(blocks.get('docker_volume.v')).toBe(
      [
        'resource "docker_volume" "v" {',
        '  name = "v"',
        '  lifecycle {',
        '    prevent_destroy = true',
        '    precondition {',
        '      condition     = local.deploy_refusals == ""',
        '      error_message = local.deploy_refusals',
        '    }',
        '  }',
        '}',
      ].join('\n'),
    );
    expect(blocks.get('terraform_data.record')).toContain('  depends_on = [\n    docker_volume.v,\n  ]');
  });
});

describe('lineDiff', () => {
  it('marks what goes and what comes, with context, and leaves the rest out', () => {
    const before = ['a', '1', '2', '3', '4', '5', 'x', '6', '7', '8', '9', '}'].join('\n');
    const after = ['a', '1', '2', '3', '4', '5', 'y', '6', '7', '8', '9', '}'].join('\n');
    expect(lineDiff(before, after)).toEqual([' a', ' …', ' 3', ' 4', ' 5', '-x', '+y', ' 6', ' 7', ' 8', ' …']);
  });

  it('a block created or destroyed is all + or all -', () => {
    expect(lineDiff(undefined, 'a\nb')).toEqual(['+a', '+b']);
    expect(lineDiff('a\nb', undefined)).toEqual(['-a', '-b']);
  });
});
