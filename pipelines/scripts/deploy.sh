#!/usr/bin/env bash
# Server-side applies an environment's Kubernetes objects, one scope at a time:
#   cluster     kubernetes/cluster.k8s.yaml (Namespaces …), with the CI apply role; never prunes, reports
#               deploykit Namespaces of the environment that are gone from the output
#   namespaces  each kubernetes/namespaces/<ns>.k8s.yaml, with the CI deploy role; then prunes, per namespace,
#               the objects of the allowlisted kinds carrying the environment's labels that the file no longer has
# `kubectl apply --prune` is not used: kubectl refuses it together with --server-side.
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib/common.sh
source "$(dirname "$0")/lib/common.sh"

usage() {
  cat <<'USAGE'
Usage: deploy.sh --env <name> --cluster <name> --region <region> --role-arn <arn> --selector <labels>
                 [--scope cluster|namespaces] [--prune-allowlist <group/version/Kind>]... [--out <dir>]

Runs `aws eks update-kubeconfig`, then `kubectl apply --server-side --field-manager=deploykit
--force-conflicts` of <dir>/<name>/kubernetes/cluster.k8s.yaml (scope cluster) or of each
<dir>/<name>/kubernetes/namespaces/<ns>.k8s.yaml into <ns> (scope namespaces), pruning what the file
no longer has: `kubectl get <allowlisted kinds> -n <ns> -l <labels> -o name`, minus what was applied,
is deleted.

  --env <name>                 environment to deploy
  --cluster <name>             EKS cluster of the environment
  --region <region>            AWS region of the cluster
  --role-arn <arn>             the CI role of the scope: apply role (cluster), deploy role (namespaces)
  --selector <labels>          label selector of everything deploykit manages in the environment
  --scope <scope>              cluster or namespaces (default: both in that order, for one identity
                               allowed both, e.g. a cluster administrator running it by hand)
  --prune-allowlist <gvk>      a namespaced kind that may be pruned, e.g. apps/v1/Deployment or
                               core/v1/Service (repeatable; required with scope namespaces)
  --out <dir>                  synth output directory (default: dist)
USAGE
}

env_name="" cluster="" region="" role_arn="" selector="" scope="" out="dist"
allowlist=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --env) need_value "$1" "${2:-}"; env_name="$2"; shift 2 ;;
    --cluster) need_value "$1" "${2:-}"; cluster="$2"; shift 2 ;;
    --region) need_value "$1" "${2:-}"; region="$2"; shift 2 ;;
    --role-arn) need_value "$1" "${2:-}"; role_arn="$2"; shift 2 ;;
    --selector) need_value "$1" "${2:-}"; selector="$2"; shift 2 ;;
    --scope) need_value "$1" "${2:-}"; scope="$2"; shift 2 ;;
    --prune-allowlist) need_value "$1" "${2:-}"; allowlist+=("$2"); shift 2 ;;
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
case "$scope" in
  cluster) scopes=(cluster) ;;
  namespaces) scopes=(namespaces) ;;
  "") scopes=(cluster namespaces) ;;
  *) usage_error "--scope ($scope) must be cluster or namespaces" ;;
esac

# kubectl_kind GROUP/VERSION/KIND: the fully qualified resource argument kubectl resolves without
# guessing (Deployment.v1.apps); core kinds have no group suffix (core/v1/Service -> Service).
kubectl_kind() {
  local group="${1%%/*}" rest="${1#*/}"
  local version="${rest%%/*}" kind="${rest#*/}"
  if [[ "$1" != */*/* || -z "$kind" || "$kind" == */* ]]; then
    usage_error "--prune-allowlist ($1) must be <group>/<version>/<Kind>, e.g. apps/v1/Deployment or core/v1/Service"
  fi
  if [[ "$kind" == Namespace ]]; then
    usage_error "--prune-allowlist ($1): Namespaces are never pruned (deleting one deletes everything in it)"
  fi
  if [[ "$group" == core ]]; then printf '%s' "$kind"; else printf '%s.%s.%s' "$kind" "$version" "$group"; fi
}

prune_kinds=""
for gvk in "${allowlist[@]}"; do
  kind="$(kubectl_kind "$gvk")"
  prune_kinds="${prune_kinds:+$prune_kinds,}$kind"
done
if [[ " ${scopes[*]} " == *" namespaces "* && -z "$prune_kinds" ]]; then
  usage_error "--prune-allowlist is required at least once with scope namespaces"
fi

manifests="$out/$env_name/kubernetes"
[[ -d "$manifests" ]] || die "$manifests does not exist; the plan job's artifact carries it"

# apply_file FILE [NAMESPACE]: server-side apply; prints the applied objects as kind.group/name, one a line.
apply_file() {
  local -a namespace_args=()
  if [[ -n "${2:-}" ]]; then namespace_args=(--namespace "$2"); fi
  kubectl apply --server-side --field-manager=deploykit --force-conflicts "${namespace_args[@]}" -f "$1" -o name
}

deploy_cluster_scope() {
  local file="$manifests/cluster.k8s.yaml" applied labelled orphaned
  [[ -f "$file" ]] || die "$file does not exist; synthesize the environment with this deploykit version"
  applied="$(apply_file "$file")"
  printf '%s\n' "$applied"
  log "applied $file to $cluster"
  # Cluster-scoped objects are never pruned: a deleted Namespace takes everything in it along.
  labelled="$(kubectl get namespaces -l "$selector" -o name)"
  orphaned="$(comm -23 <(sort <<<"$labelled") <(sort <<<"$applied") | sed '/^$/d')"
  if [[ -n "$orphaned" ]]; then
    while read -r name; do
      log "WARNING: $name carries the labels of $env_name but is no longer in its output; orphaned, delete it by hand after review"
    done <<<"$orphaned"
  fi
}

deploy_namespace_scope() {
  local file namespace applied labelled stale
  local -a files=()
  shopt -s nullglob
  files=("$manifests"/namespaces/*.k8s.yaml)
  shopt -u nullglob
  [[ ${#files[@]} -gt 0 ]] || die "$manifests/namespaces/ holds no <namespace>.k8s.yaml; synthesize the environment with this deploykit version"
  for file in "${files[@]}"; do
    namespace="$(basename "$file" .k8s.yaml)"
    applied="$(apply_file "$file" "$namespace")"
    printf '%s\n' "$applied"
    log "applied $file to namespace $namespace of $cluster"
    labelled="$(kubectl get "$prune_kinds" --namespace "$namespace" -l "$selector" -o name)"
    stale="$(comm -23 <(sort <<<"$labelled") <(sort <<<"$applied") | sed '/^$/d' | grep -v '^namespace/' || true)"
    if [[ -z "$stale" ]]; then
      log "nothing to prune in namespace $namespace"
      continue
    fi
    while read -r name; do
      log "pruning $name from namespace $namespace: it carries the labels of $env_name but is no longer in $file"
    done <<<"$stale"
    # shellcheck disable=SC2086 # one kind/name per word; names cannot contain spaces
    kubectl delete --namespace "$namespace" --ignore-not-found $stale
  done
}

assume_ci_role "$role_arn" "$region"
use_cluster "$cluster" "$region"
for current in "${scopes[@]}"; do
  case "$current" in
    cluster) deploy_cluster_scope ;;
    namespaces) deploy_namespace_scope ;;
  esac
done
