# shellcheck shell=bash
# Finds (or starts) the local Redis the scale-out and production bundle tests share as the cache.
PORTAL_TEST_REDIS_URL="${PORTAL_TEST_REDIS_URL:-redis://127.0.0.1:6379}"
export PORTAL_TEST_REDIS_URL

redis_answers() {
  local hostport="${PORTAL_TEST_REDIS_URL#*://}"
  hostport="${hostport##*@}"
  hostport="${hostport%%/*}"
  (exec 3<>"/dev/tcp/${hostport%:*}/${hostport##*:}") 2>/dev/null
}

ensure_test_redis() {
  if ! redis_answers && command -v redis-server >/dev/null; then
    log "Redis is not answering at $PORTAL_TEST_REDIS_URL; starting redis-server (in memory, no persistence)"
    local port="${PORTAL_TEST_REDIS_URL##*:}"
    redis-server --port "${port%%/*}" --save '' --appendonly no --daemonize yes >&2 || true
    sleep 1
  fi
  redis_answers || die "no Redis at $PORTAL_TEST_REDIS_URL: the two-replica and production bundle tests share it as the cache. Install redis-server (apt-get install redis-server) or set PORTAL_TEST_REDIS_URL."
  log "Redis at $PORTAL_TEST_REDIS_URL"
}
