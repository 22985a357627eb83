#!/usr/bin/env bash
# Calls a service's readiness endpoint from inside the cluster, through its Kubernetes Service, from a
# short-lived pod of a pinned curl image that runs under the restricted Pod Security profile.
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib/common.sh
source "$(dirname "$0")/lib/common.sh"

usage() {
  cat <<'USAGE'
Usage: smoke-test.sh --namespace <name> --service <name> --port <port> --path <path> --image <image>

Runs `kubectl run --rm` of <image> in <namespace> that requests
http://<service>.<namespace>.svc.cluster.local:<port><path> and fails on a non-2xx answer.

  --namespace <name>   namespace of the Service
  --service <name>     Kubernetes Service name
  --port <port>        Service port
  --path <path>        readiness endpoint, e.g. /readyz
  --image <image>      curl image pinned to a version, e.g. curlimages/curl:8.11.1
USAGE
}

namespace="" service="" port="" path="" image=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --namespace) need_value "$1" "${2:-}"; namespace="$2"; shift 2 ;;
    --service) need_value "$1" "${2:-}"; service="$2"; shift 2 ;;
    --port) need_value "$1" "${2:-}"; port="$2"; shift 2 ;;
    --path) need_value "$1" "${2:-}"; path="$2"; shift 2 ;;
    --image) need_value "$1" "${2:-}"; image="$2"; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) usage_error "unknown option $1" ;;
  esac
done
for option in namespace service port path image; do
  require "$option" "${!option}"
done
[[ "$image" == *:* && "$image" != *:latest ]] || die "--image ($image) must be pinned to a version, e.g. curlimages/curl:8.11.1"

url="http://$service.$namespace.svc.cluster.local:$port$path"
pod="smoke-$service"
pod="${pod:0:50}-${CI_JOB_ID:-${GITHUB_RUN_ID:-$$}}"
pod="${pod:0:63}"
security='{"runAsNonRoot":true,"runAsUser":65534,"allowPrivilegeEscalation":false,"readOnlyRootFilesystem":true,"capabilities":{"drop":["ALL"]},"seccompProfile":{"type":"RuntimeDefault"}}'
overrides="{\"spec\":{\"automountServiceAccountToken\":false,\"containers\":[{\"name\":\"$pod\",\"securityContext\":$security}]}}"
kubectl --namespace "$namespace" run "$pod" --rm --attach --quiet --restart=Never \
  --image="$image" --override-type=strategic --overrides="$overrides" \
  --command -- curl --fail --silent --show-error --max-time 10 --retry 5 --retry-connrefused --retry-delay 2 "$url"
log "$url answered"
