#!/usr/bin/env bash
# Installs Debian's chromium when it is missing: the console's browser tests drive it headless through
# Playwright, which never downloads a browser of its own. With --fonts, also the CJK fonts that
# screenshots need to show Chinese (the tests read the page's text, not its pixels).
set -euo pipefail
packages=()
[ -x /usr/bin/chromium ] || packages+=(chromium)
if [ "${1:-}" = "--fonts" ] && ! dpkg -s fonts-noto-cjk >/dev/null 2>&1; then
  packages+=(fonts-noto-cjk)
fi
if [ "${#packages[@]}" -eq 0 ]; then
  exit 0
fi
echo "installing ${packages[*]} from Debian packages..." >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq "${packages[@]}" >/dev/null
[ -x /usr/bin/chromium ]
