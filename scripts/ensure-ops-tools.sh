#!/usr/bin/env bash
# Installs what the operations tests need besides redis-server: systemd-analyze (to verify the unit file
# in packaging/systemd). Skips what is present.
set -euo pipefail
if command -v systemd-analyze >/dev/null 2>&1; then
  exit 0
fi
echo "systemd-analyze not found: installing systemd from Debian packages..." >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends systemd >/dev/null
command -v systemd-analyze >/dev/null
