#!/usr/bin/env bash
# After a successful verify, tags the image <sha> as verified-<sha> (same digest): the mark a release
# environment's promote-image.sh requires before it copies the image. Idempotent.
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib/common.sh
source "$(dirname "$0")/lib/common.sh"

usage() {
  cat <<'USAGE'
Usage: mark-verified.sh --registry <host> --repository <name> --tag <sha> --region <region> --role-arn <arn>

Reads the manifest of <host>/<repository>:<sha> (`aws ecr batch-get-image`) and puts it again with the
tag verified-<sha> (`aws ecr put-image`); does nothing when verified-<sha> already points at that digest.

  --registry <host>      ECR registry, <account>.dkr.ecr.<region>.amazonaws.com
  --repository <name>    ECR repository name
  --tag <sha>            the commit SHA that passed verification; "latest" is refused
  --region <region>      AWS region of the registry
  --role-arn <arn>       the environment's CI deploy role
USAGE
}

registry="" repository="" tag="" region="" role_arn=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --registry) need_value "$1" "${2:-}"; registry="$2"; shift 2 ;;
    --repository) need_value "$1" "${2:-}"; repository="$2"; shift 2 ;;
    --tag) need_value "$1" "${2:-}"; tag="$2"; shift 2 ;;
    --region) need_value "$1" "${2:-}"; region="$2"; shift 2 ;;
    --role-arn) need_value "$1" "${2:-}"; role_arn="$2"; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) usage_error "unknown option $1" ;;
  esac
done
for option in registry repository tag region role-arn; do
  variable="${option//-/_}"
  require "$option" "${!variable}"
done
refuse_latest "$tag"

assume_ci_role "$role_arn" "$region"
digest="$(ecr_digest "$registry" "$repository" "$tag")" || die "$registry/$repository has no image tagged $tag; push it first (ecr-push.sh)"
if verified="$(ecr_digest "$registry" "$repository" "verified-$tag" 2>/dev/null)"; then
  [[ "$verified" == "$digest" ]] ||
    die "$registry/$repository:verified-$tag already points at $verified, not at $tag ($digest); tags are immutable: investigate"
  log "$registry/$repository:verified-$tag already marks $digest"
  exit 0
fi
manifest="$(aws ecr batch-get-image --registry-id "$(registry_account "$registry")" --repository-name "$repository" \
  --image-ids "imageTag=$tag" --query 'images[0].imageManifest' --output text)"
aws ecr put-image --registry-id "$(registry_account "$registry")" --repository-name "$repository" \
  --image-tag "verified-$tag" --image-manifest "$manifest" >/dev/null
log "marked $registry/$repository:$tag ($digest) as verified-$tag"
