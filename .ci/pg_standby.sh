#!/usr/bin/env bash
# A throwaway PostgreSQL primary and its streaming standby, both in one directory, for the read-replica test
# (ducha/core/tests/test_replica.py) and for trying the replica by hand (docs/replica.md).
#
#   .ci/pg_standby.sh start DIR PRIMARY_PORT STANDBY_PORT
#       initdb a primary (trust on 127.0.0.1, replication allowed), create the database "ducha",
#       pg_basebackup a standby of it (-R -X stream) and start both on 127.0.0.1;
#       then postgres://postgres@127.0.0.1:PRIMARY_PORT/ducha streams to …:STANDBY_PORT/ducha
#   .ci/pg_standby.sh start-primary DIR PRIMARY_PORT
#   .ci/pg_standby.sh start-standby DIR PRIMARY_PORT STANDBY_PORT
#       the same in two steps (the test migrates the primary while the standby is copied)
#   .ci/pg_standby.sh stop DIR
#       stop both and remove DIR
#
# PG_BIN names the PostgreSQL binaries (default: the newest /usr/lib/postgresql/*/bin). Run as root, the clusters
# run as the user postgres (initdb refuses root). Durability is off on the primary: the data are thrown away.
set -Eeuo pipefail

command=${1:?usage: pg_standby.sh start|start-primary|start-standby|stop DIR [PRIMARY_PORT [STANDBY_PORT]]}
dir=${2:?the directory of the two clusters}
bin=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}

as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start_primary() {
  mkdir -p "$dir"
  if [ "$(id -u)" = 0 ]; then chown postgres: "$dir"; fi
  as_postgres "$bin/initdb" -D "$dir/primary" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null
  as_postgres "$bin/pg_ctl" -D "$dir/primary" -l "$dir/primary.log" -w -s start -o \
    "-p $1 -c listen_addresses=127.0.0.1 -c unix_socket_directories=$dir -c fsync=off -c full_page_writes=off -c synchronous_commit=off"
  as_postgres "$bin/psql" -h 127.0.0.1 -p "$1" -U postgres -q -c "CREATE DATABASE ducha"
}

start_standby() {
  as_postgres "$bin/pg_basebackup" -h 127.0.0.1 -p "$1" -U postgres -D "$dir/standby" -R -X stream -c fast --no-sync
  as_postgres "$bin/pg_ctl" -D "$dir/standby" -l "$dir/standby.log" -w -s start -o \
    "-p $2 -c listen_addresses=127.0.0.1 -c unix_socket_directories=$dir"
}

trap 'tail -n 20 "$dir"/*.log >&2 2>/dev/null || true' ERR
case "$command" in
  start)
    start_primary "${3:?primary port}"
    start_standby "$3" "${4:?standby port}"
    ;;
  start-primary)
    start_primary "${3:?primary port}"
    ;;
  start-standby)
    start_standby "${3:?primary port}" "${4:?standby port}"
    ;;
  stop)
    for cluster in standby primary; do
      if [ -f "$dir/$cluster/postmaster.pid" ]; then
        as_postgres "$bin/pg_ctl" -D "$dir/$cluster" -m immediate -s stop || true
      fi
    done
    rm -rf "$dir"
    ;;
  *)
    echo "usage: pg_standby.sh start DIR PRIMARY_PORT STANDBY_PORT | start-primary DIR PRIMARY_PORT | start-standby DIR PRIMARY_PORT STANDBY_PORT | stop DIR" >&2
    exit 2
    ;;
esac
