# The two commands a newcomer needs: `make run` and `make test` (see README.md).
SHELL := /bin/bash
.DEFAULT_GOAL := help
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
STAMP := $(VENV)/.installed

# Find a Python >= 3.12: the .python-version pyenv selects, then python3.13/3.12 on PATH,
# then pyenv's own installs. Fails with a clear message when there is none.
PYTHON_FOR_VENV := $(shell for c in python3 python3.13 python3.12 $$(ls -d $$HOME/.pyenv/versions/3.1[2-9]*/bin/python3 2>/dev/null); do \
	command -v $$c >/dev/null 2>&1 && $$c -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null && { command -v $$c; break; }; done)

.PHONY: browser-ready help run test test-sqlite test-postgres lint format bench messages clean setup

help:
	@echo "make run    set up (.venv, SQLite, the 2003 season, a dev admin) and serve on http://127.0.0.1:$(PORT)/"
	@echo "make test   set up and run the whole suite (SQLite, and PostgreSQL when DATABASE_URL is set)"
	@echo "make lint   ruff check and format check"
	@echo "make bench  side-by-side benchmarks (prints a JSON object)"

$(STAMP): pyproject.toml
	@if [ -z "$(PYTHON_FOR_VENV)" ]; then \
		echo "ERROR: copaperu needs Python 3.12 or newer and none was found."; \
		echo "Install one (e.g. 'pyenv install 3.12') or put python3.12 on PATH, then run make again."; \
		exit 1; fi
	@[ -x $(PY) ] && $(PY) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null \
		|| { rm -rf $(VENV); echo "Creating $(VENV) with $(PYTHON_FOR_VENV)"; $(PYTHON_FOR_VENV) -m venv $(VENV); }
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

setup: $(STAMP)

run: $(STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_season data/copa-peru-2003.json --if-empty
	$(PY) manage.py create_official_group
	$(PY) manage.py ensure_dev_admin
	@echo "Serving on http://127.0.0.1:$(PORT)/  (admin: http://127.0.0.1:$(PORT)/admin/)"
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

# Browser tests need Debian's chromium; as root we install it, otherwise we say so loudly.
CHROMIUM := /usr/bin/chromium
browser-ready:
	@if [ ! -x $(CHROMIUM) ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			echo "Installing Debian's chromium for the browser tests"; \
			(apt-get update -qq && apt-get install -y -qq chromium) >/dev/null; \
		fi; fi

test: $(STAMP) browser-ready
	@set -e; \
	if [ -x $(CHROMIUM) ]; then marks=""; else \
		echo "WARNING: $(CHROMIUM) is missing: browser tests are NOT run (apt-get install chromium)."; \
		marks="-m not browser"; fi; \
	echo "== test suite on SQLite"; \
	env -u DATABASE_URL $(PY) -m pytest -p no:cacheprovider $$marks; \
	if [ -n "$$DATABASE_URL" ]; then \
		echo "== test suite on PostgreSQL ($${DATABASE_URL%%@*}@...)"; \
		$(PY) -m pytest -p no:cacheprovider $$marks; \
	else echo "DATABASE_URL is not set: the PostgreSQL run is skipped (see README)."; fi

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# One catalogue (locale/) for the templates and the code; compiled .mo files are committed.
messages: $(STAMP)
	$(PY) manage.py makemessages -l es -l en --ignore=.venv --ignore=staticfiles \
		--ignore=tournaments/migrations --ignore=bench --ignore=tests
	$(PY) manage.py compilemessages --ignore=.venv

bench: $(STAMP)
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null \
		&& (apt-get update -qq && apt-get install -y -qq wrk) >/dev/null; } || true
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache .hypothesis
