#!/usr/bin/env bash
# Takes the console screenshots in README.md and docs/console.md (docs/images/*.png). Starts the demo as
# scripts/run.sh does (same ports, README "The two commands"), on a fresh Redis under .data/screenshots so the pictures
# show only what this run made, then runs scripts/screenshots/ (Playwright on Debian Chromium): the demo people sign in
# at the console's OpenID provider and each page is saved at 1280 px (a desk) and 390 px (a phone).
# Installs chromium and the CJK fonts (fonts-noto-cjk) when missing: without them Chinese shows as boxes.
set -euo pipefail
cd "$(dirname "$0")/.."
if (exec 3<>/dev/tcp/127.0.0.1/5380) 2>/dev/null; then
  echo "port 5380 is in use: stop the running gateway first (scripts/run.sh)" >&2
  exit 1
fi
scripts/ensure-chromium.sh --fonts
dotnet build scripts/screenshots -c Release -nologo -v quiet -clp:ErrorsOnly
rm -rf .data/screenshots
mkdir -p .data/screenshots
scripts/run.sh --Redis:Embedded:DataDirectory=.data/screenshots/redis --Audit:CheckpointDirectory=.data/screenshots/audit \
  > .data/screenshots/demo.log 2>&1 &
demo=$!
# A background job ignores Ctrl-C's SIGINT: stop run.sh's gateway and provider with SIGTERM (the gateway drains and
# stops its Redis), then run.sh ends.
stop() {
  for child in $(pgrep -P "$demo" || true); do kill -TERM "$child" 2>/dev/null || true; done
  wait "$demo" 2>/dev/null || true
}
trap stop EXIT
for _ in $(seq 1 300); do
  if curl -fs http://127.0.0.1:5380/healthz >/dev/null && curl -fs http://127.0.0.1:5395/.well-known/openid-configuration >/dev/null; then
    break
  fi
  if ! kill -0 "$demo" 2>/dev/null; then
    cat .data/screenshots/demo.log >&2
    exit 1
  fi
  sleep 1
done
dotnet scripts/screenshots/bin/Release/net10.0/MediaGateway.Screenshots.dll http://127.0.0.1:5380/ docs/images "$PWD"
ls -l docs/images
