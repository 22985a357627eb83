#!/usr/bin/env bash
# Pushes a built image archive to an environment's ECR repository as <repository>:<sha>, signed in
# with the environment's CI deploy role (OIDC; no static keys).
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib/common.sh
source "$(dirname "$0")/lib/common.sh"

usage() {
  cat <<'USAGE'
Usage: ecr-push.sh --archive <file> --service <name> --tag <sha> --registry <host> --repository <name>
                   --region <region> --role-arn <arn>

Loads <file> (built by build-image.sh as <name>:<sha>) and pushes it as <host>/<repository>:<sha>.

  --archive <file>       image archive from build-image.sh
  --service <name>       local image name inside the archive
  --tag <sha>            image tag: the commit SHA; "latest" is refused
  --registry <host>      ECR registry, <account>.dkr.ecr.<region>.amazonaws.com
  --repository <name>    ECR repository name
  --region <region>      AWS region of the registry
  --role-arn <arn>       the environment's CI deploy role
USAGE
}

archive="" service="" tag="" registry="" repository="" region="" role_arn=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --archive) need_value "$1" "${2:-}"; archive="$2"; shift 2 ;;
    --service) need_value "$1" "${2:-}"; service="$2"; shift 2 ;;
    --tag) need_value "$1" "${2:-}"; tag="$2"; shift 2 ;;
    --registry) need_value "$1" "${2:-}"; registry="$2"; shift 2 ;;
    --repository) need_value "$1" "${2:-}"; repository="$2"; shift 2 ;;
    --region) need_value "$1" "${2:-}"; region="$2"; shift 2 ;;
    --role-arn) need_value "$1" "${2:-}"; role_arn="$2"; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) usage_error "unknown option $1" ;;
  esac
done
for option in archive service tag registry repository region role-arn; do
  variable="${option//-/_}"
  require "$option" "${!variable}"
done
refuse_latest "$tag"
[[ -f "$archive" ]] || die "image archive $archive does not exist; run build-image.sh for $service first"

assume_ci_role "$role_arn" "$region"
# Fetch the token first (no pipe race, fails on its own), then hand it to docker on stdin, never in argv.
ecr_password=$(aws ecr get-login-password --region "$region")
docker login --username AWS --password-stdin "$registry" <<<"$ecr_password"
unset ecr_password
docker load --input "$archive"
docker tag "$service:$tag" "$registry/$repository:$tag"
docker push "$registry/$repository:$tag"
log "pushed $registry/$repository:$tag"
