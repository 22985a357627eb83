#!/usr/bin/env bash
# Runs the jest suite on another Node.js major version (type-checking and lint stay on the default node):
#
#   npm run test:node -- <major> [jest args…]
#   npm run test:node -- 24 test/cli
#
# The binary comes from scripts/with-node.sh, which pins the exact version per major.
set -euo pipefail
if [[ $# -lt 1 ]]; then
  echo "usage: npm run test:node -- <major> [jest args…]" >&2
  exit 64
fi
major=$1
shift
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
exec bash "$root/scripts/with-node.sh" "$major" -- "$root/node_modules/.bin/jest" "$@"
