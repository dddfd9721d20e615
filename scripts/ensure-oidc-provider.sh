#!/usr/bin/env bash
# Installs Node.js and npm from Debian packages when missing, and the OpenID provider the console's sign-in tests
# and scripts/run.sh use (tests/oidc-provider: oidc-provider from the npm registry, pinned in package-lock.json).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "node/npm not found: installing them from Debian packages..." >&2
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
fi
# npm ci only when the installed tree is not the locked one (it removes and reinstalls everything).
if ! cmp -s tests/oidc-provider/package-lock.json tests/oidc-provider/node_modules/.package-lock.json.ci 2>/dev/null; then
  (cd tests/oidc-provider && npm ci --no-audit --no-fund --loglevel=error && cp package-lock.json node_modules/.package-lock.json.ci)
fi
