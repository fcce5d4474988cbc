#!/usr/bin/env bash
# Times every main console page over an existing database, as a signed-in
# admin would load it: the server's time to the last byte of the page, on
# this host (curl's time_total against 127.0.0.1), median and worst of RUNS
# loads after one warm-up load.
#
#   scripts/console-timings.sh DB [RUNS]
#
# DB is a SQLite file or a postgres:// URL, e.g. the database
#   oms bench --preload 1000000 --keep
# leaves behind. The script adds a console user and an API key to it (to
# find an order, a customer and an item to open) and starts `oms serve` on
# a free port for the measurement.
set -euo pipefail
cd "$(dirname "$0")/.."

db=${1:?usage: scripts/console-timings.sh DB [RUNS]}
runs=${2:-5}
work=$(mktemp -d)
trap 'kill "${pid:-}" 2>/dev/null || true; wait "${pid:-}" 2>/dev/null || true; rm -rf "$work"' EXIT

go build -o "$work/oms" ./cmd/oms
oms() { "$work/oms" "$@"; }

email="timings-$RANDOM$RANDOM@example.com"
password="timings-password-$RANDOM"
printf '%s\n' "$password" | oms user create --db "$db" --email "$email" --name "Page Timer" --role admin --password-stdin >/dev/null
key=$(oms apikey create --db "$db" --role admin --name "console timings")

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
"$work/oms" serve --db "$db" --addr "127.0.0.1:$port" --jobs loop >"$work/serve.log" 2>&1 &
pid=$!
for _ in $(seq 1 120); do
  curl -fsS "$base/healthz" >/dev/null 2>&1 && break
  sleep 1
done

api() { curl -fsS -H "Authorization: Bearer $key" "$base$1"; }
order=$(api "/v1/orders?limit=1")
number=$(jq -r '.orders[0].number' <<<"$order")
email_q=$(jq -r '.orders[0].customer.email // empty' <<<"$order")
customer=$(api "/v1/customers?limit=1" | jq -r '.customers[0].id')
sku=$(api "/v1/items?limit=1" | jq -r '.items[0].sku')
location=$(api "/v1/locations" | jq -r '.locations[0].code')
channel=$(api "/v1/channels" | jq -r '.channels[0].code')

# Sign in: the form's CSRF token is in its cookie and its hidden field.
jar="$work/cookies"
token=$(curl -fsS -c "$jar" "$base/login" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -n1)
curl -fsS -b "$jar" -c "$jar" -o /dev/null --data-urlencode "email=$email" \
  --data-urlencode "password=$password" --data-urlencode "csrf=$token" "$base/login"

pages=(
  "/"
  "/orders"
  "/orders?q=$number"
  "/orders?q=${email_q//@/%40}"
  "/orders?status=backordered"
  "/orders?hold=held"
  "/orders/$number"
  "/orders/$number/edit"
  "/customers"
  "/customers?q=${email_q%%@*}"
  "/customers/$customer"
  "/inventory"
  "/inventory/$sku"
  "/supply"
  "/fulfillment?location=$location"
  "/cases"
  "/returns"
  "/users"
  "/settings"
  "/settings/channels"
  "/settings/channels/$channel"
  "/settings/locations"
  "/settings/tax-rules"
  "/settings/fx-rates"
  "/settings/screening"
  "/settings/returns"
  "/settings/api-keys"
  "/settings/webhooks"
  "/reports"
  "/reports/sales"
  "/reports/sales?by=channel"
  "/reports/margin"
  "/reports/fulfillment"
  "/reports/returns"
  "/reports/inventory"
  "/reports/turnover"
  "/reports/stockouts"
  "/reports/sales/csv"
)
# Screens added later list themselves here.
[ -n "${EXTRA_PAGES:-}" ] && read -r -a extra <<<"$EXTRA_PAGES" && pages+=("${extra[@]}")

printf '%-48s %6s %9s %9s\n' "page" "status" "median ms" "worst ms"
for p in "${pages[@]}"; do
  status=$(curl -s -b "$jar" -o /dev/null -w '%{http_code}' "$base$p")
  times=()
  for _ in $(seq 1 "$runs"); do
    times+=("$(curl -s -b "$jar" -o /dev/null -w '%{time_total}' "$base$p")")
  done
  sorted=$(printf '%s\n' "${times[@]}" | sort -g)
  median=$(sed -n "$(((runs + 1) / 2))p" <<<"$sorted")
  worst=$(tail -n1 <<<"$sorted")
  printf '%-48s %6s %9.1f %9.1f\n' "${p:0:48}" "$status" "$(bc -l <<<"$median*1000")" "$(bc -l <<<"$worst*1000")"
done
