# Sourced by the scripts that hand terraform.tfvars to cdktf: sets var_file_args. Whether a usable
# password exists at all (the file, or TF_VAR_postgres_password, e.g. a CI secret, which Terraform
# reads itself and which never reaches cdktf.out) is the preflight's check (usualstore-db preflight).
tfvars="$root/terraform.tfvars"
var_file_args=()
if [ -f "$tfvars" ]; then
  var_file_args=(--var-file="$tfvars")
fi
