#!/usr/bin/env bash
# Runs `oms bench` on PostgreSQL and splits the write-ahead log its order
# run wrote by relation and record type, per order, with pg_walinspect
# (PostgreSQL 15 or later; the script creates the extension, so the URL's
# user must be allowed to).
#
#   scripts/wal-by-relation.sh URL [OMS] [DURATION]
#
# URL is a postgres:// URL (oms bench makes a fresh schema there and the
# script drops it afterwards), OMS the oms binary (default: go run
# ./cmd/oms), DURATION the measured run (default 10s). The window starts
# when the bench's first order is stored (setup excluded, warm-up
# included) and ends with the bench; bytes are record lengths less their
# full-page images (checkpoints' images would blur it), divided by the
# orders stored in the window. Only the bench schema's relations are
# summed into "bench schema"; other work on the server shows as (other).
set -euo pipefail
cd "$(dirname "$0")/.."

pg=${1:?usage: scripts/wal-by-relation.sh URL [OMS] [DURATION]}
oms=${2:-}
duration=${3:-10s}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [ -z "$oms" ]; then
	go build -o "$work/oms" ./cmd/oms
	oms=$work/oms
fi
export PGOPTIONS="-c client_min_messages=warning"
q() { psql "$pg" -qAtc "$1"; }

q "CREATE EXTENSION IF NOT EXISTS pg_walinspect"
before=$(q "SELECT coalesce(string_agg(quote_literal(nspname), ','), '''''') FROM pg_namespace WHERE nspname LIKE 'bench\_%\_oms'")
"$oms" bench --db "$pg" --clients 32 --duration "$duration" --lookups 0 --json --keep >"$work/bench.json" &
bench=$!
start='' first=0 schema=''
while kill -0 "$bench" 2>/dev/null; do
	schema=$(q "SELECT nspname FROM pg_namespace n WHERE nspname LIKE 'bench\_%\_oms' AND nspname NOT IN ($before)
		AND EXISTS (SELECT 1 FROM pg_class WHERE relnamespace = n.oid AND relname = 'orders') LIMIT 1")
	if [ -n "$schema" ]; then
		r=$(q "SELECT pg_current_wal_lsn(), (SELECT count(*) FROM $schema.orders)" 2>/dev/null || true)
		if [ -n "$r" ] && [ "${r#*|}" -gt 0 ]; then
			start=${r%|*} first=${r#*|}
			break
		fi
	fi
	sleep 0.2
done
wait "$bench"
end=$(q "SELECT pg_current_wal_lsn()")
[ -n "$start" ] || { echo "no order was stored" >&2; exit 1; }
orders=$(q "SELECT count(*) - $first FROM $schema.orders")
echo "schema $schema, $orders orders in the window $start..$end"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print("orders/s %.0f, p99 %.0f ms, oms bench WAL/order %.0f" % (d["orders_per_sec"], d["latency_ms"]["p99"], d["wal_bytes_per_order"] or 0))' "$work/bench.json"
psql "$pg" -qAt -F' ' <<SQL
CREATE TEMP TABLE r AS
SELECT (regexp_match(block_ref, 'rel \d+/\d+/(\d+)'))[1]::oid AS fn, record_length - fpi_length AS len,
    resource_manager || ':' || record_type AS kind
FROM pg_get_wal_records_info('$start', '$end');
CREATE TEMP TABLE rels AS SELECT relfilenode, relname FROM pg_class WHERE relnamespace = '$schema'::regnamespace;
ANALYZE r;
ANALYZE rels;
CREATE TEMP TABLE w AS
SELECT coalesce(c.relname, CASE WHEN r.fn IS NULL THEN '(no relation)' ELSE '(other)' END) AS rel,
    c.relname IS NOT NULL AS ours, r.len, r.kind
FROM r LEFT JOIN rels c ON c.relfilenode = r.fn;
SELECT 'bytes per order, by relation:';
SELECT rel, round(sum(len)::numeric / $orders) FROM w GROUP BY rel ORDER BY 2 DESC LIMIT 30;
SELECT 'bench schema', round(sum(len)::numeric / $orders) FROM w WHERE ours;
SELECT 'whole log', round(sum(len)::numeric / $orders) FROM w;
SELECT 'by relation and record type (over 40 bytes per order):';
SELECT rel, kind, round(sum(len)::numeric / $orders) FROM w WHERE ours GROUP BY 1, 2
HAVING sum(len)::numeric / $orders > 40 ORDER BY 3 DESC;
SQL
q "DROP SCHEMA $schema CASCADE"
