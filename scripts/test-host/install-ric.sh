#!/usr/bin/env bash
# Installs AWS's official Node.js Runtime Interface Client (npm aws-lambda-ric), pinned, for the test that runs it
# unmodified as a provided.al2023 bootstrap against our Runtime API. It builds native code (bundled curl and
# aws-lambda-cpp with cmake/make/g++, then node-gyp), about a minute; the result is cached and reused.
#
#   LWB_TEST_TOOLS   where the tools live (default: <repo>/.vscode-test/tools)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=npm-env.sh
source "$here/npm-env.sh"
repo="$(cd "$here/../.." && pwd)"
tools="${LWB_TEST_TOOLS:-$repo/.vscode-test/tools}"
ric_version="4.0.2"
dir="$tools/aws-lambda-ric-$ric_version"
log_file="$tools/aws-lambda-ric-install.log"

log() { printf '[test-host] %s\n' "$*"; }

# .complete is written last, so a half-built install from an interrupted run is redone.
if [ -f "$dir/.complete" ]; then
  log "aws-lambda-ric@$ric_version already installed: $dir"; exit 0
fi

# node-gyp needs the headers of the node that runs it; point it at them instead of relying on the user's npmrc
# (Debian's nodejs keeps them in /usr/include/node, so the prefix is /usr) or on a download, which fails offline.
node_prefix="$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")"
if [ ! -f "$node_prefix/include/node/node.h" ]; then
  log "no Node headers at $node_prefix/include/node/node.h (install them, e.g. Debian's libnode-dev or nodejs)"; exit 1
fi

mkdir -p "$tools"
log "installing aws-lambda-ric@$ric_version (builds native code, about a minute the first time)"
rm -rf "$dir" && mkdir -p "$dir"
without_npm_env env npm_config_nodedir="$node_prefix" npm_config_update_notifier=false npm_config_fund=false \
  npm_config_audit=false npm install --prefix "$dir" --no-save --foreground-scripts --loglevel=error "aws-lambda-ric@$ric_version" \
  >"$log_file" 2>&1 || { tail -40 "$log_file"; exit 1; }
[ -f "$dir/node_modules/aws-lambda-ric/index.mjs" ] || { log "aws-lambda-ric/index.mjs missing after install"; exit 1; }
touch "$dir/.complete"
log "ready: $dir/node_modules/aws-lambda-ric/index.mjs"
