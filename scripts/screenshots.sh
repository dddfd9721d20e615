#!/usr/bin/env bash
# Takes the console screenshots shown in the README (docs/screenshots/*.png): the browser flow tests run
# against a gateway with the demo organisation and save each main page as headless Chromium shows it.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-redis.sh
scripts/ensure-chromium.sh --fonts
dotnet build tests/MediaGateway.Tests -c Release -nologo -clp:ErrorsOnly
MG_SCREENSHOTS_DIR="$PWD/docs/screenshots" dotnet test tests/MediaGateway.Tests -c Release --no-build -nologo \
  --filter "FullyQualifiedName~MediaGateway.Tests.Console.ConsoleFlowTests|FullyQualifiedName~MediaGateway.Tests.Console.ConsoleOperationsTests"
ls -1 docs/screenshots
