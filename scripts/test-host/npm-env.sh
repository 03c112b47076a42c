#!/usr/bin/env bash
# Sourced by the install scripts. `npm test` and `npm run …` export their own state to every child (npm_config_*,
# npm_package_*, npm_lifecycle_*, NODE, INIT_CWD, …). An npm started under another Node reads that state as its own:
# code-server's postinstall takes the Node version from npm_config_user_agent and refuses "node v20" although it
# runs on Node 24. So every inner npm runs through without_npm_env.
#
# Kept: the settings that say how to reach the registry (registry, proxies, CA, cache), which the user may have set
# only in the environment and which name no Node or npm version.

npm_env_keep_re='^npm_config_(registry|proxy|https_proxy|http_proxy|noproxy|no_proxy|cafile|ca|strict_ssl|cache)$'

# Prints the names of the inherited variables without_npm_env removes, one a line.
inherited_npm_vars() {
  local name lower
  while IFS= read -r name; do
    lower="${name,,}"
    [[ "$lower" =~ $npm_env_keep_re ]] && continue
    case "$lower" in
      npm_*|node|node_options|node_path|init_cwd) printf '%s\n' "$name" ;;
    esac
  done < <(compgen -e)
}

# without_npm_env CMD ARGS…: runs CMD with those variables removed.
without_npm_env() {
  local unset_args=() name
  while IFS= read -r name; do unset_args+=(-u "$name"); done < <(inherited_npm_vars)
  env "${unset_args[@]}" "$@"
}
