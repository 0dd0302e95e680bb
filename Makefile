# CéPourMoi: `make run` serves the box, `make test` runs every test. Nothing else to type.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
SYSTEM_PACKAGES := chromium zbar-tools poppler-utils e2fsprogs nginx faketime systemd gammu gammu-smsd
# Three workers on two cores: the browser and server tests spend much of their time waiting.
PYTEST_ARGS ?= -n 3

.PHONY: install run test test-fast test-postgres bench bench-postgres load system-deps translations clean

install: $(STAMP)

$(STAMP): pyproject.toml
	@bash scripts/ensure-venv.sh "$(PYTHON)" "$(VENV)"
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test]'
	$(BIN)/pybabel compile -f -d kiosk/translations
	@touch $(STAMP)

run: install
	$(BIN)/kiosk init-db
	$(BIN)/kiosk demo --if-empty
	$(BIN)/kiosk serve --host 0.0.0.0 --port 5000

system-deps:
	@bash scripts/system-deps.sh $(SYSTEM_PACKAGES)

test: install system-deps
	$(BIN)/pybabel compile -f -d kiosk/translations >/dev/null 2>&1
	$(BIN)/pytest -p no:cacheprovider $(PYTEST_ARGS)

test-postgres: install system-deps
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test,postgres]'
	bash scripts/with-postgres.sh $(BIN)/pytest -p no:cacheprovider $(PYTEST_ARGS)

test-fast: install
	$(BIN)/pytest -p no:cacheprovider -m "not browser"

bench: install
	$(BIN)/python -m kiosk.bench --out bench-results.json
	$(MAKE) bench-postgres

# The network on PostgreSQL (issue 20): a throwaway cluster, 200 centres x ten years, gunicorn with 1
# then 4 workers; adds its keys to bench-results.json (3 to 5 minutes on the shared 2-core machine).
bench-postgres: install
	@bash scripts/system-deps.sh postgresql
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[postgres]'
	$(BIN)/python -m kiosk.bench.postgres --out bench-results.json

load: install
	$(BIN)/python -m kiosk.bench.soak --seconds 60 --rate 20

translations: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o kiosk/translations/messages.pot --no-location --sort-output --project CePourMoi .
	$(BIN)/pybabel update -i kiosk/translations/messages.pot -d kiosk/translations --no-fuzzy-matching --ignore-obsolete
	cat kiosk/translations/pending/*.tsv > $(VENV)/translations.tsv && $(BIN)/python scripts/po_fill.py $(VENV)/translations.tsv
	$(BIN)/pybabel compile -f -d kiosk/translations

clean:
	rm -rf $(VENV) build dist *.egg-info
