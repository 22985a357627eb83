#!/usr/bin/env bash
# Helpers shared by the pipeline step scripts. Sourced, never run.
# shellcheck shell=bash

# The calling script's name, for messages.
SCRIPT_NAME="$(basename "$0" .sh)"

# log MESSAGE...: one line on stderr, prefixed with the step name.
log() {
  printf '%s: %s\n' "$SCRIPT_NAME" "$*" >&2
}

# die MESSAGE...: log and exit 1.
die() {
  log "$*"
  exit 1
}

# usage_error MESSAGE: a wrong invocation; prints the hint to --help and exits 2.
usage_error() {
  printf '%s: %s (see --help)\n' "$SCRIPT_NAME" "$1" >&2
  exit 2
}

# need_value OPTION VALUE: fails when an option that takes a value has none.
need_value() {
  if [[ -z "${2:-}" || "${2:-}" == --* ]]; then
    usage_error "$1 needs a value"
  fi
}

# require NAME VALUE: fails when a required option is missing.
require() {
  if [[ -z "${2:-}" ]]; then
    usage_error "--$1 is required"
  fi
}

# refuse_latest TAG: images are deployed by commit SHA, never by a moving tag.
refuse_latest() {
  if [[ "$1" == "latest" ]]; then
    die "image tag \"latest\" is refused; pass the commit SHA (IMAGE_TAG)"
  fi
}

# assume_ci_role ROLE_ARN REGION: exports short-lived credentials of the environment's CI deploy role.
# GitLab passes its OIDC ID token in DEPLOYKIT_ID_TOKEN (job `id_tokens`) and the role is assumed here
# with `aws sts assume-role-with-web-identity`; GitHub's configure-aws-credentials step has already put
# the role's credentials in the environment. The credentials are never printed.
assume_ci_role() {
  local role_arn="$1" region="$2" credentials
  export AWS_REGION="$region" AWS_DEFAULT_REGION="$region"
  if [[ -n "${DEPLOYKIT_ID_TOKEN:-}" ]]; then
    credentials="$(aws sts assume-role-with-web-identity \
      --role-arn "$role_arn" \
      --role-session-name "deploykit-${CI_PIPELINE_ID:-${GITHUB_RUN_ID:-local}}-${CI_JOB_ID:-${GITHUB_RUN_ATTEMPT:-0}}" \
      --web-identity-token "$DEPLOYKIT_ID_TOKEN" \
      --duration-seconds 3600 \
      --query 'Credentials.[AccessKeyId,SecretAccessKey,SessionToken]' \
      --output text)"
    read -r AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN <<<"$credentials"
    export AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN
    log "assumed $role_arn through OIDC"
  elif [[ -n "${AWS_ACCESS_KEY_ID:-}" ]]; then
    log "using the credentials the CI system provided for $role_arn"
  else
    die "no AWS credentials: set DEPLOYKIT_ID_TOKEN (GitLab id_tokens) or configure the role before this step"
  fi
}

# use_cluster CLUSTER REGION: points kubectl at the EKS cluster through a job-local kubeconfig.
use_cluster() {
  KUBECONFIG="$(mktemp -d)/kubeconfig"
  export KUBECONFIG
  aws eks update-kubeconfig --name "$1" --region "$2" --kubeconfig "$KUBECONFIG" >/dev/null
}

# registry_account HOST: the AWS account of an ECR registry host (<account>.dkr.ecr.<region>.amazonaws.com).
registry_account() {
  [[ "$1" =~ ^([0-9]{12})\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$ ]] ||
    die "registry $1 is not an ECR registry host (<account>.dkr.ecr.<region>.amazonaws.com)"
  printf '%s' "${BASH_REMATCH[1]}"
}

# ecr_digest HOST REPOSITORY TAG: prints the digest the tag points at; fails when there is no such image.
ecr_digest() {
  local account digest
  account="$(registry_account "$1")"
  digest="$(aws ecr describe-images --registry-id "$account" --repository-name "$2" --image-ids "imageTag=$3" \
    --query 'imageDetails[0].imageDigest' --output text)" || return 1
  [[ "$digest" == sha256:* ]] || return 1
  printf '%s' "$digest"
}

# write_digest FILE SERVICE DIGEST: sets "SERVICE": "DIGEST" in the JSON object in FILE (created when
# missing), keeping the other services. The file holds one "<service>": "sha256:<hex>" pair a line, as
# this function writes it.
write_digest() {
  local file="$1" service="$2" digest="$3" entries=""
  [[ "$service" =~ ^[a-z0-9][a-z0-9-]*$ ]] || die "service name $service is not a DNS label"
  [[ "$digest" =~ ^sha256:[0-9a-f]{64}$ ]] || die "digest $digest is not sha256:<64 hex digits>"
  if [[ -f "$file" ]]; then
    entries="$(sed -n -E 's/^  "([a-z0-9-]+)": "(sha256:[0-9a-f]{64})",?$/\1 \2/p' "$file" | grep -v "^$service " || true)"
  fi
  entries="$(printf '%s\n%s %s\n' "$entries" "$service" "$digest" | sed '/^$/d' | sort)"
  mkdir -p "$(dirname "$file")"
  {
    printf '{\n'
    awk '{ printf "%s  \"%s\": \"%s\"", (NR > 1 ? ",\n" : ""), $1, $2 } END { printf "\n" }' <<<"$entries"
    printf '}\n'
  } >"$file.tmp"
  mv "$file.tmp" "$file"
}

# json_string VALUE: VALUE as a JSON string literal (quotes, backslashes and control characters escaped).
json_string() {
  local value="${1//\\/\\\\}"
  value="${value//\"/\\\"}"
  value="${value//$'\n'/\\n}"
  value="${value//$'\t'/\\t}"
  value="${value//$'\r'/\\r}"
  printf '"%s"' "$value"
}

# The bin of the deploykit these scripts belong to: <root>/bin/deploykit.js beside <root>/pipelines/scripts,
# in deploykit's own checkout and in an installed package (node_modules/deploykit) alike.
DEPLOYKIT_BIN="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)/bin/deploykit.js"

# deploykit ARGS...: the deploykit CLI. DEPLOYKIT_CLI overrides the command; default: the bin beside these
# scripts, or the project's installed `deploykit` (npx --no-install) when the scripts were copied elsewhere.
deploykit() {
  local -a cli
  if [[ -n "${DEPLOYKIT_CLI:-}" ]]; then
    read -r -a cli <<<"$DEPLOYKIT_CLI"
  elif [[ -f "$DEPLOYKIT_BIN" ]]; then
    cli=(node "$DEPLOYKIT_BIN")
  else
    cli=(npx --no-install deploykit)
  fi
  command "${cli[@]}" "$@"
}
