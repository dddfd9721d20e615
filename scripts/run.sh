#!/usr/bin/env bash
# Runs the gateway on its embedded default: a local Redis it starts itself (AOF on, data in .data/redis)
# and the built-in WeChat and Weibo sandboxes with the demo organisation from config/demo.
# Ctrl-C stops everything it started; a second run reuses the data.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-redis.sh
dotnet build src/MediaGateway -c Release -nologo -v quiet -clp:ErrorsOnly
export DOTNET_ENVIRONMENT=Demo
exec dotnet src/MediaGateway/bin/Release/net10.0/MediaGateway.dll --config-dir config "$@"
