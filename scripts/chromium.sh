#!/usr/bin/env bash
# Installs Debian's chromium for ReportBrowserTests (report.html opened in a headless browser). Uses sudo only when
# not root. Does nothing when /usr/bin/chromium is already there. Usage: scripts/chromium.sh
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  echo "chromium: $(/usr/bin/chromium --version 2>/dev/null | head -1)"
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "chromium: no apt-get on this machine; install chromium by hand (ReportBrowserTests are skipped without it)" >&2
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if ! command -v sudo >/dev/null 2>&1; then
    echo "chromium: not root and no sudo; install chromium by hand (ReportBrowserTests are skipped without it)" >&2
    exit 0
  fi
  SUDO="sudo"
fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
echo "chromium: $(/usr/bin/chromium --version 2>/dev/null | head -1)"
