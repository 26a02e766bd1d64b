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
  export "BACKSTAGE_TEST_DATABASE_POSTGRES${major}_CONNECTION_STRING=$PORTAL_TEST_POSTGRES_URL"
  log "database tests run on SQLite and PostgreSQL $major ($PORTAL_TEST_POSTGRES_URL)"
}
