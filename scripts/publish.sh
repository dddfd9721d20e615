#!/usr/bin/env bash
# Framework-dependent release: the gateway DLLs, config/ (appsettings.json, the rule lists and the working-day calendars) and templates/ in
# one folder that runs with nothing but the .NET 10 runtime (ASP.NET Core shared framework):
#   dotnet <out>/MediaGateway.dll --config-dir <out>/config
# Usage: scripts/publish.sh [OUT_DIR] [--no-build]   (default OUT_DIR: out/media-gateway)
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-out/media-gateway}"
shift || true
rm -rf "$out"
mkdir -p "$out"
dotnet publish src/MediaGateway/MediaGateway.csproj -c Release --no-self-contained -nologo -v quiet -clp:ErrorsOnly -o "$out" "$@"
mkdir -p "$out/config"
cp config/appsettings.json "$out/config/"
cp -r config/rules "$out/config/"
cp -r config/calendar "$out/config/"
cp -r templates "$out/"
echo "published to $out: run with 'dotnet $out/MediaGateway.dll --config-dir $out/config'"
