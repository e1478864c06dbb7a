# A throwaway PostgreSQL 15 + PostGIS 3 cluster for the CLI tests of the
# PostgreSQL store backend (tests/cli/pg*.sh). Sourced after common.bash
# and sg_setup, not run.
#
#   sg_pg_start            initdb in a fresh mktemp folder, start the server
#                          on a Unix socket only (listen_addresses = ''), and
#                          create database `sanigrid` with PostGIS; sets
#                          SG_PG_DIR, SG_PG_SOCK, SG_PG_DB (a libpq URI of the
#                          database, user sg_admin) and PGHOST/PGUSER/
#                          PGDATABASE for psql
#   sg_pg_psql SQL...      run SQL through psql as the superuser (stops on
#                          the first error)
#   sg_pg_stop             stop the server and delete its folder (also run by
#                          the EXIT trap sg_pg_start installs, so a failing
#                          test leaves no server behind)
#
# As root (the tests run as root on CI) the server runs as the unprivileged
# user `nobody` through runuser: PostgreSQL refuses to run as root. Not as
# root, it runs as the caller. Where the server cannot start, sg_pg_start
# FAILS the test (it never skips): the PostgreSQL backend is part of what
# the suite checks, and scripts/install-deps installs postgresql-15 and
# postgresql-15-postgis-3.
# Authentication is `trust` on the socket, which only the owner of the
# folder (0700) and root can reach; the read-only role of the tests logs in
# with a password from a PGPASSFILE to show that path works.
# SPDX-License-Identifier: MIT

SG_PG_BIN=${SG_PG_BIN:-/usr/lib/postgresql/15/bin}
SG_PG_DIR=${SG_PG_DIR:-}
SG_PG_PID_OWNER=

# Run a PostgreSQL server program as the cluster's owner.
sg__pg_as_owner()
{
    if [[ $(id -u) -eq 0 ]]; then
        runuser -u nobody -- "$@"
    else
        "$@"
    fi
}

sg_pg_stop()
{
    [[ -n "$SG_PG_DIR" && -d "$SG_PG_DIR" ]] || return 0
    if [[ -f "$SG_PG_DIR/data/postmaster.pid" ]]; then
        sg__pg_as_owner "$SG_PG_BIN/pg_ctl" -D "$SG_PG_DIR/data" -m immediate \
            -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$SG_PG_DIR"
    SG_PG_DIR=
}

# EXIT trap: stop the cluster, then common.bash's clean-up with the
# test's exit code.
sg__pg_on_exit()
{
    local rc=$?
    sg_pg_stop
    (exit "$rc")
    sg__cleanup
}

sg_pg_start()
{
    # started already (common.bash starts one under SG_TEST_BACKEND=pg)
    [[ -n $SG_PG_DIR ]] && return 0
    [[ -x "$SG_PG_BIN/initdb" ]] ||
        sg_fail "PostgreSQL 15 is not installed ($SG_PG_BIN/initdb); run scripts/install-deps"
    [[ -f /usr/share/postgresql/15/extension/postgis.control ]] ||
        sg_fail "PostGIS 3 for PostgreSQL 15 is not installed; run scripts/install-deps"
    # short and world-traversable: Unix socket paths are limited to 107
    # bytes, and the server user must reach it
    SG_PG_DIR=$(mktemp -d /tmp/sgpg.XXXXXX) || sg_fail "mktemp failed"
    trap sg__pg_on_exit EXIT
    chmod 0755 "$SG_PG_DIR"
    mkdir "$SG_PG_DIR/data" "$SG_PG_DIR/sock"
    if [[ $(id -u) -eq 0 ]]; then
        chown nobody "$SG_PG_DIR/data" "$SG_PG_DIR/sock"
    fi
    chmod 0700 "$SG_PG_DIR/data"
    chmod 0755 "$SG_PG_DIR/sock"
    SG_PG_SOCK=$SG_PG_DIR/sock
    if ! sg__pg_as_owner "$SG_PG_BIN/initdb" -D "$SG_PG_DIR/data" \
        -U sg_admin --auth=trust -E UTF8 --locale=C.UTF-8 \
        >"$SG_PG_DIR/initdb.log" 2>&1; then
        cat "$SG_PG_DIR/initdb.log" >&2
        sg_fail "initdb failed"
    fi
    # the owner may write the log; the socket only in our folder, no TCP
    if ! sg__pg_as_owner "$SG_PG_BIN/pg_ctl" -D "$SG_PG_DIR/data" -w -t 60 \
        -l "$SG_PG_DIR/sock/server.log" \
        -o "-c listen_addresses='' -c unix_socket_directories=$SG_PG_SOCK -c fsync=off" \
        start >"$SG_PG_DIR/start.log" 2>&1; then
        cat "$SG_PG_DIR/start.log" "$SG_PG_DIR/sock/server.log" >&2
        sg_fail "PostgreSQL did not start"
    fi
    export PGHOST=$SG_PG_SOCK PGUSER=sg_admin PGDATABASE=sanigrid
    unset PGPASSWORD PGPASSFILE PGSERVICE PGPORT
    "$SG_PG_BIN/psql" -X -q -d postgres -v ON_ERROR_STOP=1 \
        -c "CREATE DATABASE sanigrid" >/dev/null ||
        sg_fail "cannot create the test database"
    sg_pg_psql "CREATE EXTENSION postgis" ||
        sg_fail "cannot create the PostGIS extension"
    # a libpq URI: the socket folder as host (percent-encoded slashes)
    local enc=${SG_PG_SOCK//\//%2F}
    SG_PG_DB="postgresql://sg_admin@$enc/sanigrid"
}

sg_pg_psql()
{
    "$SG_PG_BIN/psql" -X -q -At -v ON_ERROR_STOP=1 -c "$*"
}
