#!/usr/bin/env bash
# Runs the gateway on its embedded default: a local Redis it starts itself (AOF on, data in .data/redis)
# and the built-in WeChat and Weibo sandboxes with the demo organisation from config/demo, and the demo
# OpenID provider (tests/oidc-provider, oidc-provider on Node.js) on 127.0.0.1:5395 that the console signs
# people in at: open http://127.0.0.1:5380/console/ and sign in as a demo user (config/demo/tokens.md).
# Ctrl-C stops everything it started; a second run reuses the data.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-redis.sh
scripts/ensure-oidc-provider.sh
dotnet build src/MediaGateway -c Release -nologo -v quiet -clp:ErrorsOnly
provider_port=5395
node tests/oidc-provider/server.js "$provider_port" "http://127.0.0.1:5380/console/" media-gateway &
provider=$!
trap 'kill "$provider" 2>/dev/null || true' EXIT
export DOTNET_ENVIRONMENT=Demo
dotnet src/MediaGateway/bin/Release/net10.0/MediaGateway.dll --config-dir config \
  "--Auth:Oidc:Authority=http://127.0.0.1:$provider_port" \
  --Auth:Oidc:ConsoleClientId=media-gateway-console \
  "--Auth:Oidc:ConsoleScope=openid profile groups gateway" \
  --Auth:Oidc:Groups:city-news-first-review:Department=city-news-team \
  --Auth:Oidc:Groups:city-news-first-review:Roles:0=Reviewer \
  --Auth:Oidc:Groups:city-news-first-review:ReviewLevel=1 \
  "$@"
