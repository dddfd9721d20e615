#!/usr/bin/env bash
# Takes a consistent snapshot (RDB) of a running Redis over the network, without stopping it:
#   scripts/redis-backup.sh HOST PORT OUT_FILE
# Password, if any, in REDISCLI_AUTH. Copy OUT_FILE off the machine; restore with scripts/redis-restore.sh.
set -euo pipefail
if [ $# -ne 3 ]; then echo "usage: $0 HOST PORT OUT_FILE" >&2; exit 2; fi
host="$1"; port="$2"; out="$3"
mkdir -p "$(dirname "$out")"
redis-cli -h "$host" -p "$port" --rdb "$out" >/dev/null
# A readable file of non-zero size; redis-check-rdb validates it when present.
test -s "$out"
if command -v redis-check-rdb >/dev/null 2>&1; then redis-check-rdb "$out" >/dev/null; fi
echo "backup written to $out ($(stat -c %s "$out") bytes)"
