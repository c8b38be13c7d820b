#!/usr/bin/env bash
# Debian packages dhvote needs besides Python, Node and Chromium: the libraries WeasyPrint
# loads to render PDF documents (Pango with its FreeType backend, HarfBuzz's subsetter) and
# fonts that carry every Vietnamese letter. `make setup` runs this script.
#
#   bash scripts/debian-packages.sh          as root: apt-get install whatever is missing;
#                                            otherwise: say what is missing and how to fix it
#   bash scripts/debian-packages.sh --check  only say what is missing
#
# apt-get runs only when a package is missing, so a second run does nothing. It never fails
# the build by itself: without these packages the app still runs, and the PDF tests say why
# they fail.
set -euo pipefail

PACKAGES=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core)

if ! command -v dpkg-query >/dev/null 2>&1; then
    echo "debian-packages: not a Debian system; install Pango, HarfBuzz and DejaVu or Noto fonts yourself" >&2
    exit 0
fi

missing=()
for package in "${PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done
if [ "${#missing[@]}" -eq 0 ]; then
    exit 0
fi

if [ "${1:-}" != "--check" ] && [ "$(id -u)" -eq 0 ]; then
    echo "debian-packages: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
    echo "debian-packages: missing ${missing[*]} (needed for PDF documents)" >&2
    echo "  install with: sudo bash scripts/debian-packages.sh" >&2
fi
