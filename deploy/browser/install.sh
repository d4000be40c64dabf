#!/usr/bin/env bash
# Install Debian's headless-capable Chromium for the browser tests of the interactive pages
# (tests/viz/test_html_browser.py) and the render benchmark. Idempotent: does nothing when
# /usr/bin/chromium is already there. Needs root (CI runs as root) and Debian's package
# repositories; no browser build is downloaded from anywhere else.
set -euo pipefail

CHROMIUM=/usr/bin/chromium

if [ -x "$CHROMIUM" ]; then
    echo "chromium déjà installé : $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM")"
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    SUDO=sudo
else
    SUDO=
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# fonts-dejavu-core: a font with French accents for the pages' text in headless mode.
$SUDO apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core

"$CHROMIUM" --version
