#!/usr/bin/env bash
# Promotes the image a release deploys: copies the exact digest that passed verification in the source
# environment (tagged verified-<sha> by mark-verified.sh) to the target environment's registry as <sha>,
# checks the target digest equals the source, and records it in the digests file the deploy reads.
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib/common.sh
source "$(dirname "$0")/lib/common.sh"

usage() {
  cat <<'USAGE'
Usage: promote-image.sh --service <name> --tag <sha> --source-registry <host> --source-repository <name>
                        --target-registry <host> --target-repository <name> --region <region>
                        --role-arn <arn> --digests-file <file>

Looks up <source-registry>/<source-repository>:verified-<sha> (`aws ecr describe-images`), refuses when
it is missing, copies that digest to <target-registry>/<target-repository>:<sha> with
`docker buildx imagetools create` (the manifest is copied, the digest unchanged), verifies the target
digest and records {"<name>": "sha256:..."} in <file> (merged with what is there).

  --service <name>             service name (key in the digests file)
  --tag <sha>                  commit SHA of the release; "latest" is refused
  --source-registry <host>     ECR registry of the environment that verified the image
  --source-repository <name>   its repository
  --target-registry <host>     ECR registry of the environment to deploy
  --target-repository <name>   its repository
  --region <region>            AWS region of the registries
  --role-arn <arn>             the target environment's CI deploy role (may read the source repository)
  --digests-file <file>        JSON file of service digests, created or merged
USAGE
}

service="" tag="" source_registry="" source_repository="" target_registry="" target_repository="" region="" role_arn="" digests_file=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --service) need_value "$1" "${2:-}"; service="$2"; shift 2 ;;
    --tag) need_value "$1" "${2:-}"; tag="$2"; shift 2 ;;
    --source-registry) need_value "$1" "${2:-}"; source_registry="$2"; shift 2 ;;
    --source-repository) need_value "$1" "${2:-}"; source_repository="$2"; shift 2 ;;
    --target-registry) need_value "$1" "${2:-}"; target_registry="$2"; shift 2 ;;
    --target-repository) need_value "$1" "${2:-}"; target_repository="$2"; shift 2 ;;
    --region) need_value "$1" "${2:-}"; region="$2"; shift 2 ;;
    --role-arn) need_value "$1" "${2:-}"; role_arn="$2"; shift 2 ;;
    --digests-file) need_value "$1" "${2:-}"; digests_file="$2"; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) usage_error "unknown option $1" ;;
  esac
done
for option in service tag source-registry source-repository target-registry target-repository region role-arn digests-file; do
  variable="${option//-/_}"
  require "$option" "${!variable}"
done
refuse_latest "$tag"

assume_ci_role "$role_arn" "$region"
source_digest="$(ecr_digest "$source_registry" "$source_repository" "verified-$tag")" ||
  die "$source_registry/$source_repository has no image tagged verified-$tag: commit $tag was not verified there; deploy it to that environment first (its verify job tags the image)"
log "$source_registry/$source_repository:verified-$tag is $source_digest"

ecr_password="$(aws ecr get-login-password --region "$region")"
for registry in "$source_registry" "$target_registry"; do
  docker login --username AWS --password-stdin "$registry" <<<"$ecr_password" >/dev/null
done
unset ecr_password
docker buildx imagetools create --tag "$target_registry/$target_repository:$tag" "$source_registry/$source_repository@$source_digest"

target_digest="$(ecr_digest "$target_registry" "$target_repository" "$tag")" ||
  die "$target_registry/$target_repository:$tag is missing after the copy"
[[ "$target_digest" == "$source_digest" ]] ||
  die "$target_registry/$target_repository:$tag is $target_digest, not the verified $source_digest; the tags are immutable, so an earlier push of $tag with other content blocks the promotion: investigate"

write_digest "$digests_file" "$service" "$source_digest"
log "promoted $service $tag ($source_digest) to $target_registry/$target_repository"
