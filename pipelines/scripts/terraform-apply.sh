#!/usr/bin/env bash
# Applies exactly the plan terraform-plan.sh saved; never plans anew.
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib/common.sh
source "$(dirname "$0")/lib/common.sh"

usage() {
  cat <<'USAGE'
Usage: terraform-apply.sh --env <name> --region <region> --role-arn <arn> [--out <dir>]

Runs `terraform init` and `terraform apply tfplan` in <dir>/<name>/terraform.

  --env <name>        environment to apply
  --region <region>   AWS region of the environment
  --role-arn <arn>    the environment's CI deploy role
  --out <dir>         synth output directory holding the saved plan (default: dist)
USAGE
}

env_name="" region="" role_arn="" out="dist"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --env) need_value "$1" "${2:-}"; env_name="$2"; shift 2 ;;
    --region) need_value "$1" "${2:-}"; region="$2"; shift 2 ;;
    --role-arn) need_value "$1" "${2:-}"; role_arn="$2"; shift 2 ;;
    --out) need_value "$1" "${2:-}"; out="$2"; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) usage_error "unknown option $1" ;;
  esac
done
require env "$env_name"
require region "$region"
require role-arn "$role_arn"
dir="$out/$env_name/terraform"
[[ -f "$dir/tfplan" ]] || die "$dir/tfplan does not exist; run terraform-plan.sh --env $env_name first (its artifact carries the plan)"

assume_ci_role "$role_arn" "$region"
terraform -chdir="$dir" init -input=false
terraform -chdir="$dir" apply -input=false tfplan
log "applied the saved plan of $env_name"
