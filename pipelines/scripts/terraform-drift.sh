#!/usr/bin/env bash
# Scheduled drift check: plans an environment read-only (no state lock, nothing saved) with the CI plan
# role and fails when the real infrastructure differs from the definitions.
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib/common.sh
source "$(dirname "$0")/lib/common.sh"

usage() {
  cat <<'USAGE'
Usage: terraform-drift.sh --env <name> --region <region> --role-arn <arn> [--image-tag <tag>] [--config <file>] [--out <dir>]

Runs `deploykit synth --env <name>`, `terraform init` and
`terraform plan -detailed-exitcode -lock=false` in <dir>/<name>/terraform.
Exits 0 without drift, 2 with drift (the changed addresses are listed), 1 on any error.

  --env <name>         environment to check
  --region <region>    AWS region of the environment
  --role-arn <arn>     the environment's read-only CI plan role
  --image-tag <tag>    image tag for services without image.tag (the commit SHA in CI; the Terraform
                       output does not depend on it, but synth needs a tag for every service)
  --config <file>      definitions file passed to deploykit (default: the built-in definitions)
  --out <dir>          synth output directory (default: dist)
USAGE
}

env_name="" region="" role_arn="" image_tag="" config="" out="dist"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --env) need_value "$1" "${2:-}"; env_name="$2"; shift 2 ;;
    --region) need_value "$1" "${2:-}"; region="$2"; shift 2 ;;
    --role-arn) need_value "$1" "${2:-}"; role_arn="$2"; shift 2 ;;
    --image-tag) need_value "$1" "${2:-}"; image_tag="$2"; shift 2 ;;
    --config) need_value "$1" "${2:-}"; config="$2"; shift 2 ;;
    --out) need_value "$1" "${2:-}"; out="$2"; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) usage_error "unknown option $1" ;;
  esac
done
require env "$env_name"
require region "$region"
require role-arn "$role_arn"

synth_args=(synth --env "$env_name" --out "$out" --no-pipelines --quiet)
if [[ -n "$image_tag" ]]; then
  refuse_latest "$image_tag"
  synth_args+=(--image-tag "$image_tag")
fi
if [[ -n "$config" ]]; then synth_args+=(--config "$config"); fi
deploykit "${synth_args[@]}"

assume_ci_role "$role_arn" "$region"
dir="$out/$env_name/terraform"
terraform -chdir="$dir" init -input=false >&2
status=0
terraform -chdir="$dir" plan -input=false -lock=false -detailed-exitcode -out=drift.tfplan >&2 || status=$?
case "$status" in
  0)
    rm -f "$dir/drift.tfplan"
    log "no drift: $env_name matches its definitions"
    ;;
  2)
    log "drift in $env_name: these resources differ from the definitions (run the pipeline of the default branch to converge, or change the definitions):"
    # shellcheck disable=SC2016 # JavaScript, not shell
    terraform -chdir="$dir" show -json drift.tfplan |
      node -e 'let s="";process.stdin.on("data",(d)=>(s+=d)).on("end",()=>{for(const c of JSON.parse(s).resource_changes??[]){const a=c.change.actions.join(",");if(a!=="no-op"&&a!=="read")console.log(`  ${a} ${c.address}`);}})'
    rm -f "$dir/drift.tfplan"
    exit 2
    ;;
  *) die "terraform plan of $env_name failed (exit $status)" ;;
esac
