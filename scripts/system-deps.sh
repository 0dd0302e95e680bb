#!/usr/bin/env bash
# Debian packages the tests need: Chromium for the browser tests, zbar and poppler to read printed cards.
# Installed when missing and we are root; otherwise say what to install, and fail: never skip.
set -euo pipefail
missing=()
for package in "$@"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installation des paquets Debian : ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "Paquets Debian manquants : ${missing[*]}. Installez-les : sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
