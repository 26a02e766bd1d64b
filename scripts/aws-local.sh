# shellcheck shell=bash
# Runs the loopback AWS endpoint (packages/aws-local) for the embedded default and points every AWS
# SDK client of the backend at it through the SDK's own variables. Sourced after toolchain.sh.
AWS_LOCAL_PORT="${AWS_LOCAL_PORT:-4599}"
AWS_LOCAL_PID=""

start_aws_local() {
  local log_file="$PORTAL_ROOT/.data/logs/aws-local.log" url="http://127.0.0.1:$AWS_LOCAL_PORT"
  mkdir -p "$(dirname "$log_file")"
  if (exec 3<>"/dev/tcp/127.0.0.1/$AWS_LOCAL_PORT") 2>/dev/null; then
    die "port $AWS_LOCAL_PORT (the loopback AWS endpoint) is in use; stop what runs there or set AWS_LOCAL_PORT."
  fi
  (cd "$PORTAL_ROOT/packages/aws-local" && AWS_LOCAL_PORT="$AWS_LOCAL_PORT" exec yarn start) >"$log_file" 2>&1 &
  AWS_LOCAL_PID=$!
  for _ in $(seq 60); do
    if ! kill -0 "$AWS_LOCAL_PID" 2>/dev/null; then
      cat "$log_file" >&2
      die "the loopback AWS endpoint stopped at startup (log above, also in .data/logs/aws-local.log)"
    fi
    curl -fsS -o /dev/null "$url/_aws-local/health" 2>/dev/null && break
    sleep 1
  done
  curl -fsS -o /dev/null "$url/_aws-local/health" 2>/dev/null || die "the loopback AWS endpoint did not answer on $url within 60 s"
  log "$(grep -m1 'aws-local: serving' "$log_file" | sed 's/^aws-local: //')"

  # The SDK reads these itself: no AWS setting in app-config, so production config never mentions the endpoint.
  export AWS_ENDPOINT_URL="$url"
  export AWS_ACCESS_KEY_ID="AKIAAWSLOCALPORTAL01"
  export AWS_SECRET_ACCESS_KEY="aws-local-any-secret-works"
  export AWS_REGION="eu-west-2"
  unset AWS_PROFILE AWS_SESSION_TOKEN AWS_DEFAULT_PROFILE
}

stop_aws_local() {
  [ -n "$AWS_LOCAL_PID" ] && kill -TERM "$AWS_LOCAL_PID" 2>/dev/null
  AWS_LOCAL_PID=""
  return 0
}
