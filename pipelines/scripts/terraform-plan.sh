#!/usr/bin/env bash
# Synthesizes one environment with the commit's image tag and saves a Terraform plan (tfplan) that
# terraform-apply.sh applies exactly; with --review, runs a read-only review plan that takes no lock
# and saves nothing.
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib/common.sh
source "$(dirname "$0")/lib/common.sh"

usage() {
  cat <<'USAGE'
Usage: terraform-plan.sh --env <name> --image-tag <sha> --region <region> --role-arn <arn>
                         [--config <file>] [--image-digests <file>] [--out <dir>] [--review]

Runs `deploykit synth --env <name> --image-tag <sha>`, then `terraform init` and
`terraform plan -out=tfplan` in <dir>/<name>/terraform.

  --env <name>         environment to plan
  --image-tag <sha>    image tag of every service: the commit SHA; "latest" is refused
  --region <region>    AWS region of the environment
  --role-arn <arn>     the environment's CI deploy role (with --review: its read-only CI plan role)
  --config <file>      definitions file passed to deploykit (default: the built-in definitions)
  --image-digests <file>  promoted image digests ({ "<service>": "sha256:…" }) passed to deploykit synth:
                       those services run <repo>:<tag>@<digest> (default: every image by tag)
  --out <dir>          synth output directory (default: dist)
  --review             review plan of a merge/pull request: `terraform plan -lock=false`, nothing
                       saved (the plan role can read the state but not write its lock file)
USAGE
}

env_name="" image_tag="" region="" role_arn="" config="" image_digests="" out="dist" review=false
while [[ $# -gt 0 ]]; do
  case "$1" in
    --env) need_value "$1" "${2:-}"; env_name="$2"; shift 2 ;;
    --image-tag) need_value "$1" "${2:-}"; image_tag="$2"; shift 2 ;;
    --region) need_value "$1" "${2:-}"; region="$2"; shift 2 ;;
    --role-arn) need_value "$1" "${2:-}"; role_arn="$2"; shift 2 ;;
    --config) need_value "$1" "${2:-}"; config="$2"; shift 2 ;;
    --image-digests) need_value "$1" "${2:-}"; image_digests="$2"; shift 2 ;;
    --out) need_value "$1" "${2:-}"; out="$2"; shift 2 ;;
    --review) review=true; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage_error "unknown option $1" ;;
  esac
done
require env "$env_name"
require image-tag "$image_tag"
require region "$region"
require role-arn "$role_arn"
refuse_latest "$image_tag"

synth_args=(synth --env "$env_name" --image-tag "$image_tag" --out "$out" --no-pipelines --quiet)
if [[ -n "$config" ]]; then synth_args+=(--config "$config"); fi
if [[ -n "$image_digests" ]]; then synth_args+=(--image-digests "$image_digests"); fi
deploykit "${synth_args[@]}"

assume_ci_role "$role_arn" "$region"
terraform -chdir="$out/$env_name/terraform" init -input=false
if [[ "$review" == true ]]; then
  terraform -chdir="$out/$env_name/terraform" plan -input=false -lock=false
  log "planned $env_name for review without taking the state lock; the plan is not saved"
else
  terraform -chdir="$out/$env_name/terraform" plan -input=false -out=tfplan
  log "saved the plan of $env_name to $out/$env_name/terraform/tfplan"
fi
