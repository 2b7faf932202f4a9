#!/usr/bin/env bash
# Installs the Debian packages PARÉ Desktop needs (Qt/QtWebEngine runtime libraries; with "test", the
# tools the test suite drives: nginx, Xvfb, Chromium, poppler). As root with apt: installs what is
# missing. Otherwise: prints the exact command to run, and carries on.
set -euo pipefail
RUNTIME="python3-venv libasound2 libbrotli1 libdbus-1-3 libegl1 libexpat1 libfontconfig1 libfreetype6 libgbm1
libgl1 libglib2.0-0 libgssapi-krb5-2 libnspr4 libnss3 libx11-6 libxcb-dri3-0 libxcb1 libxcomposite1
libxdamage1 libxext6 libxfixes3 libxkbcommon0 libxkbfile1 libxrandr2 libxtst6 fontconfig-config
fonts-dejavu-core libxcb-cursor0 libxkbcommon-x11-0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0
libxcb-render-util0 libxcb-xinerama0 libxcb-shape0"
TEST="nginx-light xvfb xauth chromium poppler-utils"
wanted=$RUNTIME
[ "${1:-}" = "test" ] && wanted="$RUNTIME $TEST"

command -v dpkg-query >/dev/null 2>&1 || { echo "system-deps: not a Debian system; install Qt 6 runtime libraries yourself."; exit 0; }
missing=""
for pkg in $wanted; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing="$missing $pkg"
done
[ -z "$missing" ] && exit 0
cmd="apt-get install -y --no-install-recommends$missing"
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "system-deps: installing$missing"
  if ! DEBIAN_FRONTEND=noninteractive $cmd >/dev/null 2>&1; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive $cmd >/dev/null
  fi
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  echo "system-deps: installing$missing (sudo)"
  sudo -n apt-get update -qq && sudo -n env DEBIAN_FRONTEND=noninteractive $cmd >/dev/null
else
  echo "system-deps: missing Debian packages. As root, run:"
  echo "  apt-get update && $cmd"
fi
