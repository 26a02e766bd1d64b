#!/usr/bin/env bash
# The start command: installs what is missing (Node 22, yarn 4, dependencies), then runs the
# portal - frontend on http://localhost:3000, backend on http://localhost:7007, data in .data/.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/toolchain.sh"
ensure_dependencies
mkdir -p "$PORTAL_ROOT/.data"
cd "$PORTAL_ROOT"
log "starting the portal: http://localhost:3000 (backend http://localhost:7007); Ctrl-C stops it"
exec yarn dev "$@"
