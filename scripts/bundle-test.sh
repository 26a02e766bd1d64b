#!/usr/bin/env bash
# The production bundle test: builds and lays out the bundle as the image does (scripts/bundle.sh),
# then starts it with the production config against the local PostgreSQL and Redis and the
# loopback AWS endpoint, and checks it (scripts/bundle-test.js). The first argument is where the
# results go (JSON for scripts/summarise-tests.js). Ports: BUNDLE_TEST_PORT (7207),
# BUNDLE_TEST_AWS_LOCAL_PORT (4799).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/toolchain.sh"
source "$PORTAL_ROOT/scripts/aws-local.sh"
cd "$PORTAL_ROOT"
results="${1:-$PORTAL_ROOT/.data/test-results/bundle.json}"
export BUNDLE_TEST_PORT="${BUNDLE_TEST_PORT:-7207}"
AWS_LOCAL_PORT="${BUNDLE_TEST_AWS_LOCAL_PORT:-4799}"

if (exec 3<>"/dev/tcp/127.0.0.1/$BUNDLE_TEST_PORT") 2>/dev/null; then
  die "port $BUNDLE_TEST_PORT is in use; stop what runs there or set BUNDLE_TEST_PORT."
fi
started=$SECONDS
bash scripts/bundle.sh
trap stop_aws_local EXIT
start_aws_local
node scripts/bundle-test.js "$results"
log "production bundle test: $((SECONDS - started)) s in all"
