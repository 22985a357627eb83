#!/usr/bin/env bash
# Rolls a Deployment back to its previous revision and waits until that rollout completes.
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib/common.sh
source "$(dirname "$0")/lib/common.sh"

usage() {
  cat <<'USAGE'
Usage: rollback.sh --namespace <name> --deployment <name> --timeout <seconds>

Runs `kubectl rollout undo` and `kubectl rollout status --timeout` against the current kubeconfig.
Exits 1 when the rolled-back revision does not become ready in time.

  --namespace <name>     namespace of the Deployment
  --deployment <name>    Deployment to roll back
  --timeout <seconds>    how long to wait for the previous revision
USAGE
}

namespace="" deployment="" timeout=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --namespace) need_value "$1" "${2:-}"; namespace="$2"; shift 2 ;;
    --deployment) need_value "$1" "${2:-}"; deployment="$2"; shift 2 ;;
    --timeout) need_value "$1" "${2:-}"; timeout="$2"; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) usage_error "unknown option $1" ;;
  esac
done
require namespace "$namespace"
require deployment "$deployment"
require timeout "$timeout"

kubectl --namespace "$namespace" rollout undo "deployment/$deployment"
if ! kubectl --namespace "$namespace" rollout status "deployment/$deployment" --timeout="${timeout}s"; then
  die "the previous revision of deployment/$deployment in $namespace did not become ready within ${timeout}s either; investigate now"
fi
log "rolled deployment/$deployment in $namespace back to the previous revision"
