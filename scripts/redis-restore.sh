#!/usr/bin/env bash
# Turns an RDB backup into the data directory of a fresh Redis with AOF, ready for the gateway:
#   scripts/redis-restore.sh BACKUP.rdb EMPTY_DATA_DIR [PORT]
# Redis 7 ignores dump.rdb when it starts with appendonly yes and finds no AOF, so this loads the RDB with AOF
# off on a private loopback port, switches AOF on (a rewrite writes the whole dataset), and shuts down.
# Afterwards start the real redis-server (appendonly yes, noeviction) with --dir EMPTY_DATA_DIR.
set -euo pipefail
if [ $# -lt 2 ]; then echo "usage: $0 BACKUP.rdb EMPTY_DATA_DIR [PORT]" >&2; exit 2; fi
backup="$1"; dir="$2"; port="${3:-6479}"
mkdir -p "$dir"
if [ -n "$(ls -A "$dir")" ]; then echo "$dir is not empty" >&2; exit 1; fi
cp "$backup" "$dir/dump.rdb"
redis-server --port "$port" --bind 127.0.0.1 --dir "$(cd "$dir" && pwd)" --appendonly no --save "" --daemonize no \
  --protected-mode yes >"$dir/restore.log" 2>&1 &
pid=$!
cli() { redis-cli -h 127.0.0.1 -p "$port" "$@"; }
info() { cli INFO persistence | tr -d '\r' | sed -n "s/^$1:\(.*\)/\1/p"; }
for _ in $(seq 1 600); do
  if [ "$(cli PING 2>/dev/null)" = "PONG" ] && [ "$(info loading)" = "0" ]; then break; fi
  if ! kill -0 "$pid" 2>/dev/null; then cat "$dir/restore.log" >&2; exit 1; fi
  sleep 0.1
done
echo "loaded $(cli DBSIZE) keys from the backup"
cli CONFIG SET appendonly yes >/dev/null
for _ in $(seq 1 3000); do
  if [ "$(info aof_enabled)" = "1" ] && [ "$(info aof_rewrite_in_progress)" = "0" ] && [ "$(info aof_rewrite_scheduled)" = "0" ]; then break; fi
  sleep 0.1
done
test "$(info aof_last_bgrewrite_status)" = "ok"
cli SHUTDOWN NOSAVE >/dev/null 2>&1 || true
wait "$pid" || true
rm -f "$dir/dump.rdb" "$dir/restore.log"
echo "restored into $dir (appendonlydir); start redis-server with --dir $dir --appendonly yes"
