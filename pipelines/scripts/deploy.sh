#!/usr/bin/env bash
# Server-side applies an environment's Kubernetes objects and prunes the objects deploykit wrote
# earlier that are gone now; pruning is scoped by the environment's labels and an allowlist of kinds.
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib/common.sh
source "$(dirname "$0")/lib/common.sh"

usage() {
  cat <<'USAGE'
Usage: deploy.sh --env <name> --cluster <name> --region <region> --role-arn <arn> --selector <labels>
                 --prune-allowlist <group/version/kind>... [--out <dir>]

Runs `aws eks update-kubeconfig`, then
`kubectl apply --server-side --prune -l <labels> --prune-allowlist=... -f <dir>/<name>/kubernetes`.

  --env <name>                 environment to deploy
  --cluster <name>             EKS cluster of the environment
  --region <region>            AWS region of the cluster
  --role-arn <arn>             the environment's CI deploy role
  --selector <labels>          label selector of everything deploykit manages in the environment
  --prune-allowlist <gvk>      a kind that may be pruned, e.g. apps/v1/Deployment (repeatable)
  --out <dir>                  synth output directory (default: dist)
USAGE
}

env_name="" cluster="" region="" role_arn="" selector="" out="dist"
allowlist=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --env) need_value "$1" "${2:-}"; env_name="$2"; shift 2 ;;
    --cluster) need_value "$1" "${2:-}"; cluster="$2"; shift 2 ;;
    --region) need_value "$1" "${2:-}"; region="$2"; shift 2 ;;
    --role-arn) need_value "$1" "${2:-}"; role_arn="$2"; shift 2 ;;
    --selector) need_value "$1" "${2:-}"; selector="$2"; shift 2 ;;
    --prune-allowlist) need_value "$1" "${2:-}"; allowlist+=("--prune-allowlist=$2"); shift 2 ;;
    --out) need_value "$1" "${2:-}"; out="$2"; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) usage_error "unknown option $1" ;;
  esac
done
require env "$env_name"
require cluster "$cluster"
require region "$region"
require role-arn "$role_arn"
require selector "$selector"
[[ ${#allowlist[@]} -gt 0 ]] || usage_error "--prune-allowlist is required at least once"
manifests="$out/$env_name/kubernetes"
[[ -d "$manifests" ]] || die "$manifests does not exist; the plan job's artifact carries it"

assume_ci_role "$role_arn" "$region"
use_cluster "$cluster" "$region"
kubectl apply --server-side --field-manager=deploykit --prune -l "$selector" "${allowlist[@]}" --recursive -f "$manifests"
log "applied $manifests to $cluster"
