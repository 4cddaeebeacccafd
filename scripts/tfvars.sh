# Sourced by the scripts that hand terraform.tfvars to cdktf: sets var_file_args, or stops with
# one line (before anything asks the user anything) when the password has no source at all.
# TF_VAR_postgres_password in the environment (a CI secret, say) stands in for the file:
# Terraform reads it itself, and it never reaches cdktf.out.
tfvars="$root/terraform.tfvars"
var_file_args=()
if [ -f "$tfvars" ]; then
  var_file_args=(--var-file="$tfvars")
elif [ -z "${TF_VAR_postgres_password:-}" ]; then
  echo "usualstore: terraform.tfvars not found; copy terraform.tfvars.example to terraform.tfvars and set postgres_password (or export TF_VAR_postgres_password)" >&2
  exit 1
fi
