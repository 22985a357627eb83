#!/usr/bin/env bash
# Calls a service's readiness endpoint from inside the cluster, through its Kubernetes Service, from a
# short-lived pod of a pinned curl image that runs under the restricted Pod Security profile.
# The pod carries the label deploykit.io/smoke-test=true (SMOKE_TEST_LABEL in config/naming.ts): the
# generated NetworkPolicies let exactly such pods resolve DNS and reach the service's pods.
# The pod is created, its phase polled and its log printed with plain kubectl calls (no attach
# stream, works with kubectl 1.20 and later); it is deleted whatever the outcome.
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib/common.sh
source "$(dirname "$0")/lib/common.sh"

usage() {
  cat <<'USAGE'
Usage: smoke-test.sh --namespace <name> --service <name> --port <port> --path <path> --image <image>
                     [--timeout <seconds>]

Creates a pod of <image> in <namespace>, labelled deploykit.io/smoke-test=true, that requests
http://<service>.<namespace>.svc.cluster.local:<port><path>; waits until it Succeeded or Failed,
prints its log, deletes it, and fails unless it Succeeded (curl --fail: a 2xx answer).

  --namespace <name>   namespace of the Service
  --service <name>     Kubernetes Service name
  --port <port>        Service port
  --path <path>        readiness endpoint, e.g. /readyz
  --image <image>      curl image pinned to a version, e.g. curlimages/curl:8.11.1
  --timeout <seconds>  how long the pod may take, image pull included (default: 120)
USAGE
}

# The label the generated NetworkPolicies allow; keep equal to SMOKE_TEST_LABEL in config/naming.ts.
SMOKE_TEST_LABEL_KEY="deploykit.io/smoke-test"

namespace="" service="" port="" path="" image="" timeout=120
while [[ $# -gt 0 ]]; do
  case "$1" in
    --namespace) need_value "$1" "${2:-}"; namespace="$2"; shift 2 ;;
    --service) need_value "$1" "${2:-}"; service="$2"; shift 2 ;;
    --port) need_value "$1" "${2:-}"; port="$2"; shift 2 ;;
    --path) need_value "$1" "${2:-}"; path="$2"; shift 2 ;;
    --image) need_value "$1" "${2:-}"; image="$2"; shift 2 ;;
    --timeout) need_value "$1" "${2:-}"; timeout="$2"; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) usage_error "unknown option $1" ;;
  esac
done
for option in namespace service port path image; do
  require "$option" "${!option}"
done
[[ "$image" == *:* && "$image" != *:latest ]] || die "--image ($image) must be pinned to a version, e.g. curlimages/curl:8.11.1"
[[ "$port" =~ ^[0-9]+$ ]] || usage_error "--port ($port) must be a number"
[[ "$timeout" =~ ^[0-9]+$ ]] || usage_error "--timeout ($timeout) must be a number of seconds"
[[ "$path" == /* ]] || usage_error "--path ($path) must start with /"

url="http://$service.$namespace.svc.cluster.local:$port$path"
pod="smoke-$service"
pod="${pod:0:50}-${CI_JOB_ID:-${GITHUB_RUN_ID:-$$}}"
pod="${pod:0:63}"

manifest() {
  cat <<JSON
{
  "apiVersion": "v1",
  "kind": "Pod",
  "metadata": {
    "name": $(json_string "$pod"),
    "namespace": $(json_string "$namespace"),
    "labels": { "$SMOKE_TEST_LABEL_KEY": "true", "app.kubernetes.io/managed-by": "deploykit" }
  },
  "spec": {
    "restartPolicy": "Never",
    "automountServiceAccountToken": false,
    "securityContext": { "runAsNonRoot": true, "runAsUser": 65534, "seccompProfile": { "type": "RuntimeDefault" } },
    "containers": [
      {
        "name": "smoke-test",
        "image": $(json_string "$image"),
        "command": ["curl", "--fail", "--silent", "--show-error", "--max-time", "10", "--retry", "5",
                    "--retry-connrefused", "--retry-delay", "2", $(json_string "$url")],
        "securityContext": {
          "allowPrivilegeEscalation": false,
          "readOnlyRootFilesystem": true,
          "runAsNonRoot": true,
          "capabilities": { "drop": ["ALL"] },
          "seccompProfile": { "type": "RuntimeDefault" }
        },
        "resources": { "requests": { "cpu": "10m", "memory": "16Mi" }, "limits": { "memory": "32Mi" } }
      }
    ]
  }
}
JSON
}

delete_pod() {
  kubectl --namespace "$namespace" delete pod "$pod" --ignore-not-found --wait=false >/dev/null || log "could not delete pod/$pod; delete it by hand"
}

manifest | kubectl --namespace "$namespace" create -f - >/dev/null
trap delete_pod EXIT
log "pod/$pod in $namespace requests $url"

phase=""
deadline=$((SECONDS + timeout))
while :; do
  phase="$(kubectl --namespace "$namespace" get pod "$pod" -o 'jsonpath={.status.phase}')"
  [[ "$phase" == Succeeded || "$phase" == Failed ]] && break
  if ((SECONDS >= deadline)); then
    log "pod/$pod is still ${phase:-Pending} after ${timeout}s"
    kubectl --namespace "$namespace" describe pod "$pod" || true
    die "the smoke test of $url did not finish within ${timeout}s"
  fi
  sleep "${DEPLOYKIT_POLL_SECONDS:-2}"
done
kubectl --namespace "$namespace" logs "pod/$pod" || log "could not read the log of pod/$pod"
[[ "$phase" == Succeeded ]] || die "the smoke test of $url failed (pod/$pod $phase)"
log "$url answered"
