# yks_web — the two set-up commands are `make run` and `make test` (README).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := wsgi.py
# `make run` is a development server: built-in keys, SMS codes shown on the page.
run demo migrate: export YKS_ENV := development
# Where `make run` serves (`make run PORT=5001`, `make run HOST=0.0.0.0`); the links the demo prints
# (invite cards) point there, or at YKS_BASE_URL when set (e.g. the machine's address on the LAN).
HOST ?= 127.0.0.1
PORT ?= 5000
LINK_HOST := $(if $(filter 0.0.0.0 ::,$(HOST)),127.0.0.1,$(HOST))
run demo: export YKS_BASE_URL ?= http://$(LINK_HOST):$(PORT)

.PHONY: run test test-unit test-e2e lint migrate demo chromium nginx node clean bench translations messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

migrate: $(VENV)/.installed translations
	$(BIN)/flask db upgrade

demo: migrate
	$(BIN)/flask yks demo

## run: install, migrate the SQLite database, load demo data, serve on http://$(HOST):$(PORT) (127.0.0.1:5000)
run: demo
	@echo "打开 $(YKS_BASE_URL) （Ctrl-C 结束）"
	$(BIN)/flask run --host $(HOST) --port $(PORT)

# The suite runs in TEST_WORKERS processes (pytest-xdist), each with a database of its own (tests/database.py);
# `make test TEST_WORKERS=0` runs it in one.
TEST_WORKERS ?= auto

## test: install what the tests need (Chromium, nginx and Node.js via apt-get if missing) and run every test
test: $(VENV)/.installed-dev translations chromium nginx node
	$(BIN)/ruff check yks_web tests e2e bench
	$(BIN)/python -m pytest -n $(TEST_WORKERS)

test-unit: $(VENV)/.installed-dev translations node
	$(BIN)/python -m pytest -n $(TEST_WORKERS) tests

test-e2e: $(VENV)/.installed-dev translations chromium nginx
	$(BIN)/python -m pytest -n $(TEST_WORKERS) e2e

## bench: seed a 100 × 500-member school, a place with 100,000 checks and a 5,000-member institution on SQLite and PostgreSQL, load gunicorn, write docs/BENCHMARKS.md (~15 min)
bench: $(VENV)/.installed
	$(BIN)/python -m bench.run

# 繁體中文 and English (issue 15): the catalogues (.po) are the source and are committed; their compiled .mo files are
# not. They are built here, again whenever a .po is newer, by every way in (run, migrate, test, CI's make test; a
# deployment runs `make translations` before starting gunicorn, README).
CATALOGUES := $(wildcard yks_web/translations/*/LC_MESSAGES/messages.po)

translations: $(CATALOGUES:.po=.mo)

%.mo: %.po | $(VENV)/.installed
	$(BIN)/pybabel -q compile -i $< -o $@

## messages: extract every marked string (babel.cfg) into both catalogues, fill the empty 繁體 ones (OpenCC s2hk and the guides' characters, scripts/fill_traditional.py), compile; English is written by hand in yks_web/translations/en
messages: $(VENV)/.installed-dev
	$(BIN)/pybabel -q extract -F babel.cfg -k lazy_gettext --add-comments=TRANSLATORS: --add-location=file --no-wrap \
	  --project=yks_web --copyright-holder=yks_web -o yks_web/translations/messages.pot yks_web
	$(BIN)/pybabel -q update -i yks_web/translations/messages.pot -d yks_web/translations --no-fuzzy-matching \
	  --ignore-obsolete --no-wrap
	$(BIN)/python scripts/fill_traditional.py
	$(MAKE) translations

chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's Chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# e2e/test_two_nodes.py puts Debian's nginx in front of two app nodes (issue 14 item 6); it lives in /usr/sbin.
nginx:
	@command -v nginx >/dev/null 2>&1 || test -x /usr/sbin/nginx || { \
	  echo "Installing Debian's nginx for the two-node test"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null; }

# tests/blueprints/test_reminders.py runs the 工作台 countdown script (static/js/countdown.js) in Debian's Node.js.
node:
	@command -v node >/dev/null 2>&1 || { \
	  echo "Installing Debian's Node.js for the countdown script's test"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs >/dev/null; }

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check yks_web tests e2e bench

clean:
	rm -rf $(VENV) instance/yks.sqlite .pytest_cache
