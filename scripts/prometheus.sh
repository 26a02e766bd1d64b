# shellcheck shell=bash
# Prometheus for the SLO tests and the embedded default: Debian's package, installed when missing.
ensure_prometheus() {
  command -v prometheus >/dev/null && command -v promtool >/dev/null && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    log "installing Prometheus for the SLO tests (apt-get install prometheus)"
    { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq prometheus \
      || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq prometheus; }; } >&2 \
      || die "could not install prometheus with apt-get"
  fi
  command -v prometheus >/dev/null && command -v promtool >/dev/null \
    || die "the SLO tests need prometheus and promtool on PATH: install them (apt-get install prometheus)."
}
