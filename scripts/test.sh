#!/usr/bin/env bash
# The test command: release pins, config, type check, lint, unit tests (SQLite and PostgreSQL),
# the production bundle started with the production config, and browser tests against a freshly
# started portal. Safe to run twice; installs what is missing.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/toolchain.sh"
ensure_dependencies
cd "$PORTAL_ROOT"

RESULTS="$PORTAL_ROOT/.data/test-results"
rm -rf "$RESULTS" && mkdir -p "$RESULTS" "$PORTAL_ROOT/.data/logs"
step() { log "== $*"; }

step "Backstage release pins"
node scripts/check-backstage-versions.js

step "configuration schema (embedded default, and production or the org-scale sources layered on it)"
yarn backstage-cli config:check --lax --config app-config.yaml
yarn backstage-cli config:check --lax --config app-config.yaml --config app-config.production.yaml
yarn backstage-cli config:check --lax --config app-config.yaml --config app-config.org-scale.yaml

step "type check"
yarn tsc

step "lint"
yarn backstage-cli repo lint

step "structure (no plugin source file over 500 lines, no function over 120, no 'any' in the DR AWS source, no engine in a frontend)"
node scripts/check-structure.js

step "formatting (prettier --check with Backstage's prettier config)"
yarn prettier --check . >/dev/null || { yarn prettier --list-different .; die "these files are not formatted: run 'yarn prettier --write .' and commit"; }

step "PostgreSQL for the database tests"
source scripts/postgres.sh
ensure_test_postgres

step "Redis for the two-replica and production bundle tests"
source scripts/redis.sh
ensure_test_redis

step "Prometheus for the SLO tests"
source scripts/prometheus.sh
ensure_prometheus

step "MkDocs for the TechDocs tests"
source scripts/mkdocs.sh
ensure_mkdocs --required

step "Helm for the chart tests"
source scripts/helm.sh
ensure_helm

step "ShellCheck for the golden-path workflow tests"
source scripts/shellcheck.sh
ensure_shellcheck

# A failing stage is counted and reported at the end, so one run shows every failure.
# Tests without a timeout of their own get 15 s rather than Jest's 5: on 2 busy cores a cold start
# (transforms, a database per test) can take longer than 5 s without anything being wrong.
JEST_TIMEOUT=(--testTimeout=15000)
step "unit and integration tests at the real date (the date-sensitive suites run next, with the clock moved)"
source scripts/clock.sh
ensure_faketime
mapfile -t moved_projects < <(date_sensitive_projects)
jest_status=0
CI=true BACKSTAGE_TEST_DISABLE_DOCKER=1 yarn backstage-cli repo test \
  --json --outputFile="$RESULTS/jest.json" "${JEST_TIMEOUT[@]}" --ignoreProjects "${moved_projects[@]}" || jest_status=$?

step "date-sensitive suites, with the clock moved (faketime)"
clock_results=()
for when in "${CLOCK_DATES[@]}"; do
  out="$RESULTS/jest-clock-${when//[ :]/-}.json"
  mapfile -t suites < <(date_sensitive_suites_at "$when")
  log "-- the clock at $when UTC: ${suites[*]}"
  with_clock_at "$when" env CI=true BACKSTAGE_TEST_DISABLE_DOCKER=1 yarn backstage-cli repo test \
    --json --outputFile="$out" "${JEST_TIMEOUT[@]}" "${suites[@]}" || jest_status=$?
  clock_results+=("clock at $when=$out")
done

# The bundle as the image runs it.
step "production bundle: build, production install, start with the production config"
bundle_status=0
bash scripts/bundle-test.sh "$RESULTS/bundle.json" || bundle_status=$?

step "browser tests"
source scripts/e2e.sh
browser_status=0
run_browser_tests "$RESULTS/playwright.json" || browser_status=$?

node scripts/summarise-tests.js "$RESULTS/jest.json" "$RESULTS/playwright.json" "$RESULTS/bundle.json" "${clock_results[@]}"
[ "$jest_status" = 0 ] || die "unit and integration tests failed (exit $jest_status, output above)"
[ "$bundle_status" = 0 ] || die "the production bundle test failed (exit $bundle_status, output above)"
[ "$browser_status" = 0 ] || die "the browser tests failed (exit $browser_status, output above)"
