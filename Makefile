# dhvote developer commands. `make run` serves the app, `make test` runs every check.
#
# `setup` is idempotent and fast when nothing changed: each step leaves a stamp (or its real
# output) and reruns only when its inputs are newer. Stamps live inside what they describe
# (.venv/, node_modules/), so deleting a directory also forgets its stamp.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000

PY_STAMP := $(VENV)/.dhvote-installed
NODE_STAMP := node_modules/.dhvote-installed
JS_MANIFEST := election/static/dist/manifest.json
JS_SOURCES := $(shell find election/static/js -type f \( -name '*.js' -o -name '*.mjs' \) 2>/dev/null)
NATIVE_STAMP := crypto/_native/.built
NATIVE_SOURCES := $(shell find crypto/_native -type f \( -name '*.c' -o -name '*.h' -o -name '*.py' \) 2>/dev/null)
PO_FILES := $(wildcard translations/*/LC_MESSAGES/messages.po)
MO_FILES := $(PO_FILES:.po=.mo)

# Node's own default test-file patterns, found with `find` so that the step works the same
# on every Node version and skips cleanly when tests/js/ is empty or missing.
JS_TEST_FIND := find tests/js -type f \( -name '*.test.js' -o -name '*.test.mjs' \
	-o -name '*.test.cjs' -o -name '*-test.js' -o -name '*-test.mjs' -o -name '*_test.js' \
	-o -name '*_test.mjs' -o -name 'test-*.js' -o -name 'test-*.mjs' \) -not -path '*/node_modules/*'

.PHONY: help setup debian-packages run test lint typecheck bench bench-peer translations clean

help:
	@echo "make run         set up, initialise the database, load the demo if empty, serve http://$(HOST):$(PORT)/"
	@echo "make test        set up, then ruff, pytest (incl. browser + PostgreSQL tests) and node --test"
	@echo "make setup       create .venv, install Python and npm packages, build JS, compile translations"
	@echo "make lint        ruff check, ruff format --check and mypy"
	@echo "make bench       run the benchmarks (bench/run.py)"
	@echo "make bench-peer  set up the peer benchmark (bench/peer/setup.sh)"
	@echo "make translations  re-extract messages and update the catalogues (docs/i18n.md)"
	@echo "make clean       remove build outputs and caches (keeps .venv and node_modules)"

setup: debian-packages $(PY_STAMP) $(NATIVE_STAMP) $(NODE_STAMP) $(JS_MANIFEST) $(MO_FILES)

# WeasyPrint's libraries and Vietnamese fonts for PDF documents: apt-get runs only when one
# is missing, and only as root (otherwise the script says what to install).
debian-packages:
	@bash scripts/debian-packages.sh

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(PY_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

# The verifiers' native arithmetic (crypto/_native/README.md): libsodium's edwards25519 code,
# compiled with the machine's C compiler into crypto/_dhgroup.*.so. Offline; about 2 s.
$(NATIVE_STAMP): $(PY_STAMP) $(NATIVE_SOURCES)
	$(BIN)/python crypto/_native/build.py
	touch $@

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

$(JS_MANIFEST): $(NODE_STAMP) scripts/build-js.mjs $(JS_SOURCES) election/static/css/booth.css
	npm run --silent build

translations/%/LC_MESSAGES/messages.mo: translations/%/LC_MESSAGES/messages.po $(PY_STAMP)
	$(BIN)/pybabel compile -i $< -o $@

# init-db migrates the database (SQLite in instance/ unless DHVOTE_DATABASE_URL says
# otherwise) and creates the server key; the demo congress is loaded only into an empty one.
run: setup
	$(BIN)/dhvote init-db
	$(BIN)/dhvote demo --if-empty
	$(BIN)/dhvote run --host $(HOST) --port $(PORT)

test: setup
	$(BIN)/ruff check .
	$(BIN)/pytest
	@files=$$( { $(JS_TEST_FIND) 2>/dev/null || true; } | sort); \
	if [ -n "$$files" ]; then \
		echo "node --test $$(echo $$files | tr '\n' ' ')"; \
		node --test $$files; \
	else \
		echo "tests/js: no JavaScript test files; skipping node --test"; \
	fi

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

typecheck: setup
	$(BIN)/mypy

# The benchmarks are never part of `make test`. Each writes bench/results*.json; run.py
# renders docs/performance.md from all of them.
bench: setup bench-peer
	$(BIN)/python bench/ballotbox_bench.py
	$(BIN)/python bench/verify_bench.py
	$(BIN)/python bench/run.py

bench-peer:
	bash bench/peer/setup.sh

# Extract the Vietnamese source strings and merge them into each catalogue; translators then
# fill in the new msgstr entries, and `make setup` compiles them.
translations: $(PY_STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output \
		--project dhvote --copyright-holder dhvote -o translations/messages.pot .
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching \
		--ignore-obsolete --width 100

clean:
	rm -rf election/static/dist tests/artifacts .pytest_cache .ruff_cache .mypy_cache \
		.hypothesis translations/messages.pot
	find translations -name '*.mo' -delete
	find . -path ./.venv -prune -o -path ./node_modules -prune -o \
		-type d -name __pycache__ -exec rm -rf {} +
