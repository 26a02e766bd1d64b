#!/usr/bin/env bash
# The start command: installs what is missing (Node 22, yarn 4, dependencies), starts the loopback
# AWS endpoint with the demo estate, then runs the portal - frontend on http://localhost:3000,
# backend on http://localhost:7007, data in .data/. PORTAL_AWS=real uses your own AWS credentials
# (the SDK's default chain) instead of the loopback endpoint. Prometheus with demo traffic runs on
# 127.0.0.1:9099 when the prometheus binary is installed (PORTAL_PROMETHEUS=off skips it).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/toolchain.sh"
source "$PORTAL_ROOT/scripts/aws-local.sh"
source "$PORTAL_ROOT/scripts/prometheus.sh"
source "$PORTAL_ROOT/scripts/mkdocs.sh"
# `--config FILE` is read by each package from its own folder (packages/backend, packages/app):
# a relative FILE is made absolute from where this command was run, as a reader expects.
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --config)
      [ $# -ge 2 ] || die "--config needs a file, e.g. --config app-config.org-scale.yaml"
      args+=(--config "$(realpath -m -- "$2")")
      shift 2
      ;;
    --config=*)
      args+=(--config "$(realpath -m -- "${1#--config=}")")
      shift
      ;;
    *)
      args+=("$1")
      shift
      ;;
  esac
done
ensure_dependencies
ensure_mkdocs
mkdir -p "$PORTAL_ROOT/.data/logs"
cd "$PORTAL_ROOT"
trap 'stop_aws_local; stop_prometheus_local' EXIT
case "${PORTAL_AWS:-local}" in
  local) start_aws_local ;;
  real) log "PORTAL_AWS=real: AWS calls go to AWS with your default credential chain" ;;
  *) die "PORTAL_AWS is '${PORTAL_AWS}'; use 'local' (the loopback demo estate, the default) or 'real'." ;;
esac
[ "${PORTAL_PROMETHEUS:-local}" = local ] && start_prometheus_local
log "starting the portal: http://localhost:3000 (backend http://localhost:7007); Ctrl-C stops it"
yarn dev "${args[@]}"
