# shellcheck shell=bash
# Finds (or starts) the local PostgreSQL and hands it to Backstage's TestDatabases.
PORTAL_TEST_POSTGRES_URL="${PORTAL_TEST_POSTGRES_URL:-postgresql://postgres@127.0.0.1:5432}"

postgres_major() {
  node -e '
    const { Client } = require("pg");
    const client = new Client({ connectionString: process.argv[1], connectionTimeoutMillis: 3000 });
    client.connect()
      .then(() => client.query("show server_version_num"))
      .then(r => { console.log(Math.floor(Number(r.rows[0].server_version_num) / 10000)); return client.end(); })
      .catch(() => process.exit(1));
  ' "$PORTAL_TEST_POSTGRES_URL" 2>/dev/null
}

ensure_test_postgres() {
  local major
  if ! major="$(postgres_major)"; then
    if command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
      log "PostgreSQL is not answering at $PORTAL_TEST_POSTGRES_URL; starting the local cluster"
      pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -1)" main start >&2 || true
      sleep 2
    fi
    major="$(postgres_major)" || major=""
  fi
  if [ -z "$major" ]; then
    log "NOTICE: no PostgreSQL at $PORTAL_TEST_POSTGRES_URL - database tests run on SQLite only." \
      "Set PORTAL_TEST_POSTGRES_URL to a server (trust or password in the URL) to include PostgreSQL."
    return 0
  fi
  ensure_postgres_connections
  export "BACKSTAGE_TEST_DATABASE_POSTGRES${major}_CONNECTION_STRING=$PORTAL_TEST_POSTGRES_URL"
  log "database tests run on SQLite and PostgreSQL $major ($PORTAL_TEST_POSTGRES_URL)"
}

# The suites run two at a time, and some start whole backends (every plugin's pool) or the
# generated services' pools beside a suite creating a database per test: PostgreSQL's default 100
# connections ran out ("sorry, too many clients already"). The local cluster is given room for
# them once (ALTER SYSTEM, then a restart); a server elsewhere is left as it is, with a notice.
POSTGRES_TEST_CONNECTIONS=300
ensure_postgres_connections() {
  local max
  max="$(psql "$PORTAL_TEST_POSTGRES_URL/postgres" -Atc 'show max_connections' 2>/dev/null)" || return 0
  [ "${max:-0}" -ge "$POSTGRES_TEST_CONNECTIONS" ] && return 0
  if command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ] \
    && psql "$PORTAL_TEST_POSTGRES_URL/postgres" -qc "alter system set max_connections = $POSTGRES_TEST_CONNECTIONS" 2>/dev/null; then
    log "PostgreSQL allows $max connections; raising it to $POSTGRES_TEST_CONNECTIONS for the parallel suites (restarting the local cluster)"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -1)" main restart >&2 || true
    local _
    for _ in 1 2 3 4 5 6 7 8 9 10; do postgres_major >/dev/null && break; sleep 1; done
  else
    log "NOTICE: PostgreSQL at $PORTAL_TEST_POSTGRES_URL allows $max connections; the parallel suites may need $POSTGRES_TEST_CONNECTIONS"
  fi
}
