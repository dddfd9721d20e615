#!/usr/bin/env bash
# Installs redis-server from Debian's packages when it is missing (used by run.sh and test.sh).
set -euo pipefail
if command -v redis-server >/dev/null 2>&1; then
  exit 0
fi
echo "redis-server not found: installing it from Debian packages..." >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends redis-server >/dev/null
# The Debian package may start a system service on the default port; the gateway never uses it.
command -v redis-server >/dev/null
