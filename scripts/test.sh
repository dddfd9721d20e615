#!/usr/bin/env bash
# Runs every test: installs redis-server if missing (tests start their own Redis servers on loopback
# ports, and the WeChat/Weibo sandboxes in-process) and chromium if missing (the console's browser
# tests), Node.js and the OpenID provider of the console's sign-in tests (npm ci in tests/oidc-provider),
# builds the solution, runs all test projects.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-redis.sh
scripts/ensure-ops-tools.sh
scripts/ensure-chromium.sh   # the console's browser tests (headless Debian Chromium)
scripts/ensure-oidc-provider.sh   # the console's sign-in tests: oidc-provider on Node.js (npm ci)
results=TestResults
rm -rf "$results"
dotnet build MediaGateway.sln -c Release -nologo -clp:ErrorsOnly
status=0
dotnet test MediaGateway.sln -c Release --no-build -nologo --logger "trx" --logger "console;verbosity=normal" \
  --results-directory "$results" || status=$?

# The end-to-end tests once more against a three-primary Redis Cluster on loopback ports.
MG_TEST_REDIS=cluster dotnet test tests/MediaGateway.Tests -c Release --no-build -nologo \
  --filter "FullyQualifiedName~RedisClusterTests|FullyQualifiedName~MediaGateway.Tests.Publishing|FullyQualifiedName~MediaGateway.Tests.Review|FullyQualifiedName~MediaGateway.Tests.Audit|FullyQualifiedName~MediaGateway.Tests.Webhooks" \
  --logger "trx;LogFileName=cluster.trx" --logger "console;verbosity=minimal" --results-directory "$results" || status=$?

# One plain closing line over all test projects, from the TRX files.
passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  get() { echo "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
  passed=$((passed + $(get passed))); failed=$((failed + $(get failed)))
  skipped=$((skipped + $(get total) - $(get executed)))
done
echo "tests: $passed passed, $failed failed, $skipped skipped"
if [ "$passed" -eq 0 ] && [ "$status" -eq 0 ]; then
  echo "no test ran" >&2
  exit 1
fi
exit "$status"
