#!/usr/bin/env bash
# Verifies one service after a deploy: waits for its rollout, then smoke-tests its readiness endpoint.
# On either failure it rolls the Deployment back, waits for that rollout and fails the job.
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib/common.sh
source "$(dirname "$0")/lib/common.sh"
scripts="$(dirname "$0")"

usage() {
  cat <<'USAGE'
Usage: verify.sh --cluster <name> --region <region> --role-arn <arn> --namespace <name>
                 --deployment <name> --timeout <seconds> --port <port> --path <path> --image <image>

Runs `kubectl rollout status --timeout=<seconds>s`, then smoke-test.sh; on failure rollback.sh and exit 1.

  --cluster <name>       EKS cluster of the environment
  --region <region>      AWS region of the cluster
  --role-arn <arn>       the environment's CI deploy role
  --namespace <name>     namespace of the Deployment and Service
  --deployment <name>    Deployment (and Service) name
  --timeout <seconds>    the Deployment's progressDeadlineSeconds
  --port <port>          Service port
  --path <path>          readiness endpoint
  --image <image>        pinned curl image for the smoke test
USAGE
}

cluster="" region="" role_arn="" namespace="" deployment="" timeout="" port="" path="" image=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --cluster) need_value "$1" "${2:-}"; cluster="$2"; shift 2 ;;
    --region) need_value "$1" "${2:-}"; region="$2"; shift 2 ;;
    --role-arn) need_value "$1" "${2:-}"; role_arn="$2"; shift 2 ;;
    --namespace) need_value "$1" "${2:-}"; namespace="$2"; shift 2 ;;
    --deployment) need_value "$1" "${2:-}"; deployment="$2"; shift 2 ;;
    --timeout) need_value "$1" "${2:-}"; timeout="$2"; shift 2 ;;
    --port) need_value "$1" "${2:-}"; port="$2"; shift 2 ;;
    --path) need_value "$1" "${2:-}"; path="$2"; shift 2 ;;
    --image) need_value "$1" "${2:-}"; image="$2"; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) usage_error "unknown option $1" ;;
  esac
done
for option in cluster region role-arn namespace deployment timeout port path image; do
  variable="${option//-/_}"
  require "$option" "${!variable}"
done

assume_ci_role "$role_arn" "$region"
use_cluster "$cluster" "$region"

roll_back_and_fail() {
  if "$scripts/rollback.sh" --namespace "$namespace" --deployment "$deployment" --timeout "$timeout"; then
    die "$1; rolled deployment/$deployment in $namespace back to the previous revision"
  fi
  die "$1; the rollback did not complete either"
}

if ! kubectl --namespace "$namespace" rollout status "deployment/$deployment" --timeout="${timeout}s"; then
  roll_back_and_fail "deployment/$deployment in $namespace did not finish its rollout within ${timeout}s"
fi
if ! "$scripts/smoke-test.sh" --namespace "$namespace" --service "$deployment" --port "$port" --path "$path" --image "$image"; then
  roll_back_and_fail "the smoke test of http://$deployment.$namespace.svc.cluster.local:$port$path failed"
fi
log "deployment/$deployment in $namespace is rolled out and ready"
