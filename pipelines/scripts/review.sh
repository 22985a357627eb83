#!/usr/bin/env bash
# Review of a merge/pull request: synthesizes the head, reports `deploykit diff` against the base as
# Markdown and posts it as a merge-request note (GitLab) or pull-request comment (GitHub).
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib/common.sh
source "$(dirname "$0")/lib/common.sh"

usage() {
  cat <<'USAGE'
Usage: review.sh --base <git-ref> --platform gitlab|github [--config <file>] [--image-tag <tag>] [--out <dir>] [--report <file>]

Runs `deploykit synth` (head) and `deploykit diff --base <git-ref> --head <dir> --format markdown`,
then posts the report.

  --base <git-ref>          the target branch commit the request merges into
  --platform <name>         gitlab: note through the API with DEPLOYKIT_REVIEW_TOKEN on
                            CI_MERGE_REQUEST_IID; github: `gh pr comment` with GH_TOKEN on PR_NUMBER
  --config <file>           definitions file passed to deploykit (default: the built-in definitions)
  --image-tag <tag>         image tag of every service on both sides (the commit SHA in CI; default: each
                            service's image.tag)
  --out <dir>               synth output directory of the head (default: dist)
  --report <file>           where to keep the report (default: deploykit-diff.md)
USAGE
}

base="" platform="" config="" image_tag="" out="dist" report="deploykit-diff.md"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --base) need_value "$1" "${2:-}"; base="$2"; shift 2 ;;
    --platform) need_value "$1" "${2:-}"; platform="$2"; shift 2 ;;
    --config) need_value "$1" "${2:-}"; config="$2"; shift 2 ;;
    --image-tag) need_value "$1" "${2:-}"; image_tag="$2"; shift 2 ;;
    --out) need_value "$1" "${2:-}"; out="$2"; shift 2 ;;
    --report) need_value "$1" "${2:-}"; report="$2"; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) usage_error "unknown option $1" ;;
  esac
done
require base "$base"
require platform "$platform"
[[ "$platform" == gitlab || "$platform" == github ]] || usage_error "--platform ($platform) must be gitlab or github"

config_args=()
if [[ -n "$config" ]]; then config_args=(--config "$config"); fi
# One tag for both sides, as the deploys use the commit's tag for every service: the report shows what the
# definitions change, not the image tag every commit changes.
if [[ -n "$image_tag" ]]; then
  refuse_latest "$image_tag"
  config_args+=(--image-tag "$image_tag")
fi
deploykit synth --out "$out" --no-pipelines --quiet "${config_args[@]}"
deploykit diff --base "$base" --head "$out" --format markdown "${config_args[@]}" >"$report"

case "$platform" in
  gitlab)
    require CI_MERGE_REQUEST_IID "${CI_MERGE_REQUEST_IID:-}"
    [[ -n "${DEPLOYKIT_REVIEW_TOKEN:-}" ]] || die "DEPLOYKIT_REVIEW_TOKEN is not set; add a masked project access token (scope api, role Reporter) to post the report"
    # The token goes to curl in a header file, never on the command line or in the log.
    header="$(mktemp)"
    trap 'rm -f "$header"' EXIT
    printf 'PRIVATE-TOKEN: %s\n' "$DEPLOYKIT_REVIEW_TOKEN" >"$header"
    curl --fail --silent --show-error --max-time 30 --header "@$header" \
      --data-urlencode "body@$report" \
      "$CI_API_V4_URL/projects/$CI_PROJECT_ID/merge_requests/$CI_MERGE_REQUEST_IID/notes" >/dev/null
    ;;
  github)
    require PR_NUMBER "${PR_NUMBER:-}"
    gh pr comment "$PR_NUMBER" --body-file "$report"
    ;;
esac
log "posted the deploykit diff against $base"
