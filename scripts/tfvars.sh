# Sourced by the scripts that hand terraform.tfvars to cdktf: where it is, and the one-line
# message when it is missing (before anything asks the user anything).
tfvars="$root/terraform.tfvars"
if [ ! -f "$tfvars" ]; then
  echo "usualstore: terraform.tfvars not found; copy terraform.tfvars.example to terraform.tfvars and set postgres_password" >&2
  exit 1
fi
