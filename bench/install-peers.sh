#!/usr/bin/env bash
# Installs the benchmark's peer tools (lambda-local 2, serverless 3 + serverless-offline 13) into bench/peers/.
# Skipped when already installed. Only talks to the npm registry.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
peers="$here/peers"
if [[ -f "$peers/node_modules/.package-lock.json" && -d "$peers/node_modules/serverless-offline" && -d "$peers/node_modules/lambda-local" && -d "$peers/node_modules/serverless" ]]; then
  echo "bench peers already installed in $peers/node_modules"
  exit 0
fi
echo "installing bench peers into $peers (npm registry)…"
# --ignore-scripts: serverless 3's postinstall only prints a banner / tries to phone home.
npm install --prefix "$peers" --no-audit --no-fund --ignore-scripts --loglevel=error
