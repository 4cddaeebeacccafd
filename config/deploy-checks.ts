/**
 * What a deploy refuses that Terraform cannot see by itself: a data volume Docker lost while the
 * data stack's state still records it, a busy host port, an engine too old for the configuration,
 * a password setting the container cannot be given. The app's synth looks (tool/deploy/checks.ts:
 * read-only, and quiet where Docker does not answer, as in a pull-request check) and writes each
 * stack's refusals, one line each, to REFUSALS_FILE in the stack's directory, beside its
 * cdk.tf.json. The stacks' preconditions read that file (stacks/constructs/deploy-refusals.ts), so
 * `cdktf deploy`, `cdktf diff`, plain `terraform plan/apply` in the stack's directory and
 * `npm run deploy` (which reads the same lines before it starts Terraform) refuse the same things.
 * Terraform evaluates no precondition while it destroys: none of this stands in a reset's way.
 */

/** A stack's refusals, in its directory (Terraform's working directory): empty or absent = none. */
export const REFUSALS_FILE = 'deploy-refusals.txt';

/** What the synth found (the engine, each check's outcome), at the output directory's root, for
 * the summary npm run deploy prints. */
export const CHECKS_REPORT_FILE = 'deploy-checks.json';

/** Setting it to the volume's name is how a user asks for a new, empty volume on purpose. */
export const NEW_EMPTY_VOLUME_VARIABLE = 'USUALSTORE_NEW_EMPTY_VOLUME';

/**
 * The data stack's record that it created the volume (a terraform_data, built into Terraform).
 * The docker provider drops a volume Docker no longer has from the state at its next refresh, so
 * a `terraform apply -refresh-only` would otherwise erase the only trace that data was lost; this
 * record stays until the stack itself is destroyed.
 */
export const VOLUME_RECORD_ID = 'data_volume_record';

export interface DeployChecksReport {
  /** The Docker engine the checks talked to, or why none answered (then nothing was checked). */
  docker: { reachable: true; version: string; apiVersion: string; endpoint: string } | { reachable: false; reason: string };
  /** What each check found, in words ("volume usualstore_db_data present"). */
  found: string[];
  /** Each stack's refusals: the lines of its REFUSALS_FILE. */
  refusals: Record<string, string[]>;
}
