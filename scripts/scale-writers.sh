#!/usr/bin/env bash
# The many-core run issue 21 asks for, in one go (about 6 minutes at S=15): what bounds
# PostgreSQL placement when the cores are there. Run it where ../shared/tools/scale-run.sh runs,
# from the folder scale-pack.sh made, after copying this script into it:
#   ../shared/tools/scale-pack.sh DIR && cp scripts/scale-writers.sh DIR/   (DIR git-ignored)
#   bash DIR/scale-writers.sh          (env S=seconds per run, SCALE=pgbench scale, OUT=folder)
# It starts a private PostgreSQL on port 5433 (as an unprivileged user), measures pgbench's
# TPC-B ceiling at 64 and 256 clients, then oms bench at 64 clients with 2, 8 and 16 writers, at
# 256 clients with 8 and 16, and one server against two at 128 clients. Each line gives orders/s
# and its ratio to pgbench at the same clients, p99, the batches (orders, ms), writers busy of
# their number, batches holding stock at once, the database's CPU per order and the sessions
# waiting for a heavyweight lock (a row, a transaction). Busy near the writers' number: the
# orders wait for writers. Held near busy, with lock waits: the batches wait for each other on
# the hot items' balances.
# Every run's JSON report is kept in $OUT. Everything it starts it stops.
S=${S:-15}; SCALE=${SCALE:-32}; cd "$(dirname "$0")" || exit 1; O=${OUT:-/tmp/scale-out}; mkdir -p "$O"
R=/tmp/oms-pgroot; rm -rf $R /tmp/oms-pgdata; mkdir -p $R; tar -C $R -xJf pg.tar.xz; chmod 755 $R
v=$(cat $R/VERSION); export LD_LIBRARY_PATH=$R/lib; BIN=$R/root/usr/lib/postgresql/$v/bin
id omspg >/dev/null 2>&1 || useradd -M omspg; mkdir -p /tmp/oms-pgdata; chown omspg /tmp/oms-pgdata
as() { su omspg -s /bin/bash -c "LD_LIBRARY_PATH=$LD_LIBRARY_PATH $*"; }
as "$BIN/initdb -D /tmp/oms-pgdata -U postgres --auth=trust -E UTF8 --locale=C.UTF-8" >/dev/null || exit 1
printf "port=5433\nunix_socket_directories='/tmp'\nmax_connections=600\nshared_buffers=4GB\njit=off\n" >> /tmp/oms-pgdata/postgresql.conf
as "$BIN/pg_ctl -D /tmp/oms-pgdata -l /tmp/oms-pgdata/log -w start" >/dev/null || { tail /tmp/oms-pgdata/log; exit 1; }
trap 'as "$BIN/pg_ctl -D /tmp/oms-pgdata -m fast stop" >/dev/null' EXIT
U=postgres://postgres@127.0.0.1:5433
echo "cores: $(nproc), $S s a run"
$BIN/psql "$U/postgres" -qc "create database bench"
$BIN/pgbench -h 127.0.0.1 -p 5433 -U postgres -i -q -s "$SCALE" bench >/dev/null 2>&1
declare -A ceiling
for c in 64 256; do
  ceiling[$c]=$($BIN/pgbench -h 127.0.0.1 -p 5433 -U postgres -c $c -j 16 -T "$S" bench 2>&1 | awk '/^tps/{print $3}')
  echo "pgbench TPC-B $c clients: ${ceiling[$c]} tps"
done
run() {
  local name=$1 clients=$2; shift 2
  ./oms bench --db "$U/bench?sslmode=disable" --duration "${S}s" --clients "$clients" --lookups 0 --json "$@" \
    >"$O/$name.json" 2>"$O/$name.err"
  echo "$name (rc $?): $(python3 - "$O/$name.json" "${ceiling[$clients]:-}" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1])); l = d.get('latency_ms') or {}; s = (d.get('db_sessions') or {}).get('mean') or {}
ceil = float(sys.argv[2]) if sys.argv[2] else 0
f = lambda k, fmt='%.2f': fmt % d[k] if d.get(k) is not None else '-'
print('orders/s %.0f%s p99 %s ms, errors %s; batches %s orders %s ms; busy %s of %s; held %s; db cpu %s ms/order; lock waits %.2f'
      % (d['orders_per_sec'], ' (%.3f of pgbench)' % (d['orders_per_sec'] / ceil) if ceil else '', l.get('p99'),
         d.get('errors'), f('orders_per_batch', '%.1f'), f('batch_ms', '%.1f'), f('writers_busy'), d.get('writers'),
         f('stock_held_share'), f('db_cpu_ms_per_order', '%.3f'), sum(v for k, v in s.items() if 'Lock/' in k)))
EOF
)"
}
for w in 2 8 16; do run "pg_c64_w$w" 64 --writers $w; done
for w in 8 16; do run "pg_c256_w$w" 256 --writers $w; done
run pg_c128_one_server 128
run pg_c128_two_servers 128 --servers 2
