#!/usr/bin/env bash
# Create the virtual environment; on a fresh Debian, python3-venv may be missing: install it as root.
set -euo pipefail
python=$1
venv=$2
if [ -x "$venv/bin/python" ]; then exit 0; fi
if ! "$python" -m venv "$venv" 2>/dev/null; then
  rm -rf "$venv"
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    version=$("$python" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "python${version}-venv" || \
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv
    "$python" -m venv "$venv"
  else
    echo "Impossible de créer $venv : installez le paquet python3-venv (sudo apt-get install python3-venv)." >&2
    exit 1
  fi
fi
