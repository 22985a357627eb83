#!/usr/bin/env bash
# Posts a deploy's outcome (environment, version, status, link) to the chat webhook in
# DEPLOYKIT_CHAT_WEBHOOK (a masked CI variable). Does nothing when the variable is not set.
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib/common.sh
source "$(dirname "$0")/lib/common.sh"

usage() {
  cat <<'USAGE'
Usage: notify.sh --env <name> --version <ref> --status <status> --url <link> [--only-failure]

Posts {"text": "..."} to $DEPLOYKIT_CHAT_WEBHOOK; skips quietly when it is empty.

  --env <name>        environment deployed
  --version <ref>     tag or commit deployed
  --status <status>   job outcome, e.g. success or failed
  --url <link>        link to the pipeline
  --only-failure      post only when the status is not success
USAGE
}

env_name="" version="" status="" url="" only_failure=false
while [[ $# -gt 0 ]]; do
  case "$1" in
    --env) need_value "$1" "${2:-}"; env_name="$2"; shift 2 ;;
    --version) need_value "$1" "${2:-}"; version="$2"; shift 2 ;;
    --status) need_value "$1" "${2:-}"; status="$2"; shift 2 ;;
    --url) need_value "$1" "${2:-}"; url="$2"; shift 2 ;;
    --only-failure) only_failure=true; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage_error "unknown option $1" ;;
  esac
done
for option in env_name version status url; do
  require "${option/env_name/env}" "${!option}"
done
if [[ -z "${DEPLOYKIT_CHAT_WEBHOOK:-}" ]]; then
  log "DEPLOYKIT_CHAT_WEBHOOK is not set; not posting"
  exit 0
fi
if [[ "$only_failure" == true && "$status" == success ]]; then
  exit 0
fi

text="deploy of $version to $env_name: $status ($url)"
# The webhook URL is a secret: it goes to curl on stdin (a config file), never on the command line or in the log.
printf 'url = %s\n' "$(json_string "$DEPLOYKIT_CHAT_WEBHOOK")" |
  curl --fail --silent --show-error --max-time 10 --config - \
    --header 'Content-Type: application/json' --data "{\"text\":$(json_string "$text")}"
log "posted the outcome to the chat webhook"
