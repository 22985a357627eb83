#!/usr/bin/env bash
# Verifies one service after a deploy: waits for its rollout, then smoke-tests its readiness endpoint.
# On either failure it first collects diagnostics of the failing pods into the job log (describe,
# namespace events, current and previous container logs, hints for common causes), then rolls the
# Deployment back, waits for that rollout and fails the job. Diagnostics never decide the outcome.
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib/common.sh
source "$(dirname "$0")/lib/common.sh"
scripts="$(dirname "$0")"

usage() {
  cat <<'USAGE'
Usage: verify.sh --cluster <name> --region <region> --role-arn <arn> --namespace <name>
                 --deployment <name> --timeout <seconds> --port <port> --path <path> --image <image>

Runs `kubectl rollout status --timeout=<seconds>s`, then smoke-test.sh; on failure prints diagnostics
(`kubectl describe`, events, `kubectl logs --previous` of the pods that are not ready), runs rollback.sh
and exits 1.

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

# diagnose: everything a person needs to see why the rollout or smoke test failed, in the job log.
# Called as `diagnose || true`: bash ignores errexit inside a command of an || list, so every step runs
# whatever the one before did, and no failing kubectl call can stop the rollback that follows.
diagnose() (
  local k=(kubectl --namespace "$namespace") selector pods pod reasons
  echo "----- diagnostics of deployment/$deployment in $namespace -----"
  "${k[@]}" describe "deployment/$deployment"
  reasons="$("${k[@]}" get "deployment/$deployment" -o 'go-template={{range .status.conditions}}{{.reason}} {{end}}')"
  # shellcheck disable=SC2016 # a go-template, not shell
  selector="$("${k[@]}" get "deployment/$deployment" -o 'go-template={{range $key, $value := .spec.selector.matchLabels}}{{$key}}={{$value}},{{end}}')"
  selector="${selector%,}"
  if [[ -n "$selector" ]]; then
    # Pods whose Ready condition is not True, at most five.
    # shellcheck disable=SC2016 # a go-template, not shell
    pods="$("${k[@]}" get pods -l "$selector" -o 'go-template={{range .items}}{{$ready := "False"}}{{range .status.conditions}}{{if eq .type "Ready"}}{{$ready = .status}}{{end}}{{end}}{{if ne $ready "True"}}{{.metadata.name}}{{"\n"}}{{end}}{{end}}' | head -n 5)"
    for pod in $pods; do
      echo "----- pod/$pod -----"
      "${k[@]}" describe "pod/$pod"
      reasons+=" $("${k[@]}" get "pod/$pod" -o 'go-template={{range .status.containerStatuses}}{{with .state.waiting}}{{.reason}} {{end}}{{with .lastState.terminated}}{{.reason}} {{end}}{{end}}')"
      echo "----- logs of pod/$pod (previous container) -----"
      "${k[@]}" logs "pod/$pod" --all-containers --previous --tail=100
      echo "----- logs of pod/$pod (current container) -----"
      "${k[@]}" logs "pod/$pod" --all-containers --tail=100
    done
  fi
  echo "----- recent events in $namespace -----"
  "${k[@]}" get events --sort-by=.lastTimestamp \
    -o custom-columns=LAST:.lastTimestamp,TYPE:.type,REASON:.reason,OBJECT:.involvedObject.name,MESSAGE:.message | tail -n 30
  echo "----- end of diagnostics -----"
  case " $reasons " in
    *" ImagePullBackOff "* | *" ErrImagePull "*)
      log "hint: ImagePullBackOff: the image cannot be pulled; check that the tag exists in the registry and the node role may pull from it" ;;
  esac
  case " $reasons " in
    *" CrashLoopBackOff "* | *" Error "*)
      log "hint: CrashLoopBackOff: the container keeps exiting; read the previous container's log above" ;;
  esac
  case " $reasons " in
    *" ProgressDeadlineExceeded "*)
      log "hint: ProgressDeadlineExceeded: the new pods did not become ready within the Deployment's progressDeadlineSeconds; see the pods and events above" ;;
  esac
  true
)

roll_back_and_fail() {
  diagnose >&2 || true
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
