#!/usr/bin/env bash
# Installs what the tests run besides Node.js, when it is missing: the real kubectl (the pipeline script
# tests run it against a loopback API server), shellcheck, and PyYAML (the YAML 1.1 round-trip tests read
# the output as kubectl's parser would). Debian packages; needs root (or sudo) only when something is missing.
set -euo pipefail
missing=()
command -v kubectl >/dev/null || missing+=(kubernetes-client)
command -v shellcheck >/dev/null || missing+=(shellcheck)
python3 -c 'import yaml' 2>/dev/null || /usr/bin/python3 -c 'import yaml' 2>/dev/null || missing+=(python3-yaml)
[[ ${#missing[@]} -eq 0 ]] && exit 0
echo "install-test-tools: installing ${missing[*]}" >&2
sudo=()
[[ $(id -u) -eq 0 ]] || sudo=(sudo)
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
