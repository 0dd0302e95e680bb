#!/usr/bin/env bash
# Before the first release only: rebuild the single initial migration from the models.
# Once a centre runs the box, add a new migration instead (flask --app kiosk db migrate -d kiosk/migrations).
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
rm -f kiosk/migrations/versions/*.py
KIOSK_INSTANCE_PATH=$tmp KIOSK_DATABASE_URL="sqlite:///$tmp/empty.sqlite3" \
  .venv/bin/flask --app kiosk db migrate -d kiosk/migrations -m "initial schema" >/dev/null
rm -rf "$tmp"
ls kiosk/migrations/versions/
