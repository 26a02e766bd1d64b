# shellcheck shell=bash
# Starts the portal exactly as the README's start command does - on its own ports and a fresh
# database, so a portal you are running is untouched - and runs the Playwright tests against it.
E2E_APP_PORT="${E2E_APP_PORT:-3100}"
E2E_BACKEND_PORT="${E2E_BACKEND_PORT:-7107}"
E2E_AWS_LOCAL_PORT="${E2E_AWS_LOCAL_PORT:-4699}"
E2E_PROMETHEUS_PORT="${E2E_PROMETHEUS_PORT:-9199}"
E2E_PROMETHEUS_EXPORTER_PORT="${E2E_PROMETHEUS_EXPORTER_PORT:-9564}"

ensure_chromium() {
  export CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"
  ensure_debian_tool chromium "the browser tests" test -x "$CHROMIUM_PATH" \
    || die "browser tests need Chromium at $CHROMIUM_PATH: install it (apt-get install chromium) or set CHROMIUM_PATH."
}

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_for_url() {
  local url="$1" seconds="$2" pid="$3"
  for _ in $(seq "$seconds"); do
    kill -0 "$pid" 2>/dev/null || return 1
    curl -fsS -o /dev/null "$url" 2>/dev/null && return 0
    sleep 1
  done
  return 1
}

# The templates' history the browser tests' portal upgrades from: today's templates as one commit
# in a repository of their own, so a test can release the next version (a commit there) without
# touching this repository. The catalog still serves templates/ to create services with.
e2e_templates_history() {
  local repo="$1"
  mkdir -p "$repo" && cp -R "$PORTAL_ROOT/templates" "$repo/templates"
  git -C "$repo" init --quiet --initial-branch=main
  git -C "$repo" add --all
  GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1 \
    git -C "$repo" -c user.name=e2e -c user.email=e2e@payments.local commit --quiet --no-verify -m "templates as they are"
}

run_browser_tests() {
  local json_out="$1"
  ensure_chromium
  for port in "$E2E_APP_PORT" "$E2E_BACKEND_PORT" "$E2E_AWS_LOCAL_PORT" "$E2E_PROMETHEUS_PORT" "$E2E_PROMETHEUS_EXPORTER_PORT"; do
    port_free "$port" || die "port $port is in use; stop what runs there or set E2E_APP_PORT / E2E_BACKEND_PORT / E2E_AWS_LOCAL_PORT."
  done

  local data="$PORTAL_ROOT/.data/e2e" log_file="$PORTAL_ROOT/.data/logs/e2e-portal.log"
  rm -rf "$data" && mkdir -p "$data"
  local templates_repo="$data/templates-history"
  e2e_templates_history "$templates_repo"
  log "starting the portal for the browser tests (log: .data/logs/e2e-portal.log)"
  AWS_LOCAL_PORT="$E2E_AWS_LOCAL_PORT" \
  PROMETHEUS_LOCAL_PORT="$E2E_PROMETHEUS_PORT" PROMETHEUS_LOCAL_EXPORTER_PORT="$E2E_PROMETHEUS_EXPORTER_PORT" \
  PROMETHEUS_LOCAL_DATA="$data/prometheus" APP_CONFIG_slo_prometheus_baseUrl="http://127.0.0.1:$E2E_PROMETHEUS_PORT" \
  APP_CONFIG_app_baseUrl="http://localhost:$E2E_APP_PORT" \
  APP_CONFIG_backend_baseUrl="http://localhost:$E2E_BACKEND_PORT" \
  APP_CONFIG_backend_listen_port="$E2E_BACKEND_PORT" \
  APP_CONFIG_backend_cors_origin="http://localhost:$E2E_APP_PORT" \
  APP_CONFIG_backend_database_connection_directory="../../.data/e2e/sqlite" \
  APP_CONFIG_techdocs_publisher_local_publishDirectory="../../.data/e2e/techdocs" \
  APP_CONFIG_goldenPaths_templates_directory="$templates_repo/templates" \
    setsid bash "$PORTAL_ROOT/scripts/start.sh" >"$log_file" 2>&1 &
  local portal_pid=$!
  # shellcheck disable=SC2064
  trap "kill -TERM -- -$portal_pid 2>/dev/null || true" EXIT

  wait_for_url "http://localhost:$E2E_BACKEND_PORT/.backstage/health/v1/readiness" 240 "$portal_pid" \
    || { tail -50 "$log_file" >&2; die "the backend did not become ready (log above)"; }
  wait_for_url "http://localhost:$E2E_APP_PORT" 300 "$portal_pid" \
    || { tail -50 "$log_file" >&2; die "the frontend did not come up (log above)"; }

  local status=0
  PORTAL_URL="http://localhost:$E2E_APP_PORT" PORTAL_LOG_FILE="$log_file" AWS_LOCAL_URL="http://127.0.0.1:$E2E_AWS_LOCAL_PORT" \
    E2E_TEMPLATES_REPO="$templates_repo" \
    PLAYWRIGHT_JSON_OUTPUT_NAME="$json_out" yarn playwright test || status=$?
  kill -TERM -- "-$portal_pid" 2>/dev/null || true
  trap - EXIT
  return "$status"
}
