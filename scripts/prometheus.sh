# shellcheck shell=bash
# Prometheus for the SLO tests and the embedded default's demo traffic: Debian's package.
ensure_prometheus() {
  ensure_debian_tool prometheus "the SLO tests" have prometheus promtool \
    || die "the SLO tests need prometheus and promtool on PATH: install them (apt-get install prometheus)."
}

PROMETHEUS_LOCAL_PORT="${PROMETHEUS_LOCAL_PORT:-9099}"
PROMETHEUS_LOCAL_EXPORTER_PORT="${PROMETHEUS_LOCAL_EXPORTER_PORT:-9464}"
PROMETHEUS_LOCAL_PID=""

# Prometheus on loopback with the demo traffic (packages/prometheus-local), when the binary is installed.
start_prometheus_local() {
  if ! ensure_debian_tool prometheus "the demo's SLO data" have prometheus promtool; then
    log "no prometheus binary: the SLO pages say how to connect one. For the demo's SLO data run 'apt-get install prometheus' (as root) and start again."
    return 0
  fi
  local log_file="$PORTAL_ROOT/.data/logs/prometheus-local.log" url="http://127.0.0.1:$PROMETHEUS_LOCAL_PORT"
  for port in "$PROMETHEUS_LOCAL_PORT" "$PROMETHEUS_LOCAL_EXPORTER_PORT"; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      die "port $port (Prometheus on loopback) is in use; stop what runs there or set PROMETHEUS_LOCAL_PORT / PROMETHEUS_LOCAL_EXPORTER_PORT."
    fi
  done
  log "starting Prometheus on $url with 36 days of demo traffic (about 20 s)"
  (cd "$PORTAL_ROOT/packages/prometheus-local" && PROMETHEUS_LOCAL_PORT="$PROMETHEUS_LOCAL_PORT" \
    PROMETHEUS_LOCAL_EXPORTER_PORT="$PROMETHEUS_LOCAL_EXPORTER_PORT" \
    PROMETHEUS_LOCAL_DATA="${PROMETHEUS_LOCAL_DATA:-$PORTAL_ROOT/.data/prometheus}" exec yarn start) >"$log_file" 2>&1 &
  PROMETHEUS_LOCAL_PID=$!
  for _ in $(seq 120); do
    if ! kill -0 "$PROMETHEUS_LOCAL_PID" 2>/dev/null; then
      cat "$log_file" >&2
      die "Prometheus on loopback stopped at startup (log above, also in .data/logs/prometheus-local.log)"
    fi
    grep -q 'prometheus-local: serving' "$log_file" 2>/dev/null && break
    sleep 1
  done
  grep -q 'prometheus-local: serving' "$log_file" || die "Prometheus on loopback did not start within 120 s (.data/logs/prometheus-local.log)"
  log "$(grep -m1 'prometheus-local: serving' "$log_file" | sed 's/^prometheus-local: //')"
}

stop_prometheus_local() {
  [ -n "$PROMETHEUS_LOCAL_PID" ] && kill -TERM "$PROMETHEUS_LOCAL_PID" 2>/dev/null
  PROMETHEUS_LOCAL_PID=""
  return 0
}
