#!/usr/bin/env bash
# Builds one service image with BuildKit, reusing a local layer cache, and saves it as an archive
# that the push jobs load and push to every environment's registry (build once, promote the same bytes).
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib/common.sh
source "$(dirname "$0")/lib/common.sh"

usage() {
  cat <<'USAGE'
Usage: build-image.sh --service <name> --tag <sha> --context <dir> --archive <file> [--cache-dir <dir>]

Builds <context>/Dockerfile as <name>:<sha> and writes a docker archive to <file>.

  --service <name>    service (local image) name
  --tag <sha>         image tag: the commit SHA; "latest" is refused
  --context <dir>     build context holding the Dockerfile
  --archive <file>    where to write the image archive (docker save format)
  --cache-dir <dir>   BuildKit layer cache, read and refreshed (default: .buildx-cache/<name>)
USAGE
}

service="" tag="" context="" archive="" cache_dir=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --service) need_value "$1" "${2:-}"; service="$2"; shift 2 ;;
    --tag) need_value "$1" "${2:-}"; tag="$2"; shift 2 ;;
    --context) need_value "$1" "${2:-}"; context="$2"; shift 2 ;;
    --archive) need_value "$1" "${2:-}"; archive="$2"; shift 2 ;;
    --cache-dir) need_value "$1" "${2:-}"; cache_dir="$2"; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) usage_error "unknown option $1" ;;
  esac
done
require service "$service"
require tag "$tag"
require context "$context"
require archive "$archive"
refuse_latest "$tag"
cache_dir="${cache_dir:-.buildx-cache/$service}"

# The docker-container driver can export a layer cache; the default driver cannot.
if ! docker buildx inspect deploykit >/dev/null 2>&1; then
  docker buildx create --name deploykit --driver docker-container >/dev/null
fi
mkdir -p "$(dirname "$archive")" "$cache_dir"
docker buildx build \
  --builder deploykit \
  --cache-from "type=local,src=$cache_dir" \
  --cache-to "type=local,dest=$cache_dir.new,mode=max" \
  --tag "$service:$tag" \
  --output "type=docker,dest=$archive" \
  "$context"
# Replace the cache instead of growing it forever.
if [[ -d "$cache_dir.new" ]]; then
  rm -rf "$cache_dir"
  mv "$cache_dir.new" "$cache_dir"
fi
log "built $service:$tag into $archive"
