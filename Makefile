# Bastion's build, test and check commands. `make` alone lists them.
#
# Every step of `install` leaves a stamp and reruns only when its inputs are newer than the
# stamp: pip when pyproject.toml changes, npm when package-lock.json changes, collectstatic
# when a static file changes. Stamps live in .venv/, node_modules/ and var/stamps/.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/bastion
PYTEST_ARGS ?=
ARGS ?=

STAMPS := var/stamps
PIP_STAMP := $(VENV)/.bastion-installed
NPM_STAMP := node_modules/.bastion-installed
VENDOR_STAMP := $(STAMPS)/vendor
MESSAGES_STAMP := $(STAMPS)/messages
STATIC_STAMP := $(STAMPS)/static

LOCKFILE := $(wildcard package-lock.json)
PO_FILES := $(shell find bastion -name '*.po' -not -path '*/node_modules/*' 2>/dev/null)
STATIC_SOURCES := $(shell find bastion -path '*/static/*' -type f \
	-not -path 'bastion/static/vendor/*' 2>/dev/null)

MANAGE := $(BIN)/python manage.py
LOCAL := DJANGO_SETTINGS_MODULE=config.settings.local

.PHONY: help install demo serve worker test test-sqlite test-postgres lint format typecheck \
	importlint migrations-check deploy-check check bench bench-postgres bench-data bench-smoke \
	clean

help: ## List the targets (this message)
	@echo "Usage: make TARGET [PORT=8000] [PYTEST_ARGS='-k login'] [ARGS='...']"
	@echo
	@grep -hE '^([a-zA-Z0-9_-]+:.*## |## )' $(MAKEFILE_LIST) | awk ' \
		/^## / { sub(/^## -* */, ""); sub(/ *-*$$/, ""); printf "\n%s:\n", $$0; next } \
		{ split($$0, part, ":.*## "); printf "  %-18s %s\n", part[1], part[2] }'

## ---- set up ----------------------------------------------------------------

install: $(PIP_STAMP) $(NPM_STAMP) $(VENDOR_STAMP) $(MESSAGES_STAMP) $(STATIC_STAMP) ## Create .venv, install Python and npm packages, vendor assets, messages, static files
	@echo "install: done (stamps in .venv/, node_modules/, var/stamps/)"

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null || { echo "$(PYTHON) not found (set PYTHON=...)"; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(PIP_STAMP): pyproject.toml $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $@

$(NPM_STAMP): package.json $(LOCKFILE)
ifneq ($(LOCKFILE),)
	npm ci --no-audit --no-fund --loglevel=error
else
	npm install --no-audit --no-fund --loglevel=error
endif
	@touch $@

$(VENDOR_STAMP): $(NPM_STAMP) scripts/collect_vendor.py
	@mkdir -p $(STAMPS)
	$(BIN)/python scripts/collect_vendor.py
	@touch $@

# Chinese is the source language, so a missing catalogue or msgfmt only loses English.
$(MESSAGES_STAMP): $(PIP_STAMP) $(PO_FILES)
	@mkdir -p $(STAMPS)
	@if ! command -v msgfmt >/dev/null; then \
		echo "msgfmt not found (apt-get install gettext): English catalogues not compiled"; \
	elif [ -z "$(PO_FILES)" ]; then \
		echo "no .po files yet: nothing to compile"; \
	else \
		echo "$(MANAGE) compilemessages"; \
		$(LOCAL) $(MANAGE) compilemessages --ignore=.venv --ignore=node_modules -v 0; \
	fi
	@touch $@

$(STATIC_STAMP): $(PIP_STAMP) $(VENDOR_STAMP) $(STATIC_SOURCES)
	@mkdir -p $(STAMPS)
	$(LOCAL) $(MANAGE) collectstatic --noinput -v 0
	@touch $@

## ---- run ---------------------------------------------------------------------

demo: install ## Migrate the demo SQLite db under var/, load data, serve on 127.0.0.1:PORT with the worker
	$(BIN)/bastion demo --port $(PORT)

serve: install ## Serve the app with gunicorn, the worker and the alert clock (bastion serve --with-worker)
	$(BIN)/bastion serve --with-worker $(ARGS)

worker: install ## Run the task worker alone (bastion worker ARGS)
	$(BIN)/bastion worker $(ARGS)

# The benchmarks (issue 8, docs/benchmarks.md): each figure beside its floor, same run.
# TIER=S|M|L; ARGS go to `bastion bench` (e.g. ARGS='--only report,lookups').
TIER ?= S
BENCH := DJANGO_SETTINGS_MODULE=config.settings.bench $(BIN)/bastion
BENCH_PG_DB = bastion_bench_$(shell echo $(TIER) | tr A-Z a-z)
BENCH_PG_URL = postgres://postgres@127.0.0.1:5432/$(BENCH_PG_DB)

bench: install ## Benchmarks on a scratch SQLite database, tier TIER (default S)
	rm -f var/bench.sqlite3 var/bench.sqlite3-wal var/bench.sqlite3-shm
	BASTION_SQLITE_NAME=bench.sqlite3 $(BENCH) bench --tier $(TIER) $(ARGS)

bench-postgres: install ## Benchmarks on a scratch PostgreSQL database bastion_bench_<tier>
	dropdb -h 127.0.0.1 -U postgres --if-exists $(BENCH_PG_DB)
	createdb -h 127.0.0.1 -U postgres $(BENCH_PG_DB)
	DATABASE_URL=$(BENCH_PG_URL) $(BENCH) bench --tier $(TIER) $(ARGS)

bench-data: install ## Build only the dataset of TIER in a fresh bastion_bench_<tier> (PostgreSQL)
	dropdb -h 127.0.0.1 -U postgres --if-exists $(BENCH_PG_DB)
	createdb -h 127.0.0.1 -U postgres $(BENCH_PG_DB)
	DATABASE_URL=$(BENCH_PG_URL) $(BENCH) bench-data --tier $(TIER) $(ARGS)

# CI's smoke test: a fifth of tier S on SQLite, every figure, generous limits (--check
# fails at about 10x a goal: a collapse, not a drift). 66 s on 2 quiet cores, 220 s loaded.
bench-smoke: $(PIP_STAMP) ## Tier-S smoke run of every benchmark with generous limits (CI)
	@mkdir -p var
	rm -f var/bench-smoke.sqlite3 var/bench-smoke.sqlite3-wal var/bench-smoke.sqlite3-shm
	BASTION_SQLITE_NAME=bench-smoke.sqlite3 $(BENCH) bench --tier S --scale 0.2 \
		--seconds 5 --pages 15 --repeats 30 --check

## ---- test ---------------------------------------------------------------------

test: install ## Run the whole suite, browser tests included, on DATABASE_URL or SQLite
	$(BIN)/pytest $(PYTEST_ARGS)

test-sqlite: install ## Run the whole suite on SQLite, whatever DATABASE_URL says
	DATABASE_URL= $(BIN)/pytest $(PYTEST_ARGS)

test-postgres: install ## Run the whole suite on the local PostgreSQL (POSTGRES_URL)
	DATABASE_URL=$(POSTGRES_URL) $(BIN)/pytest $(PYTEST_ARGS)

## ---- check -------------------------------------------------------------------

lint: $(PIP_STAMP) ## ruff check and ruff format --check (both run; either failing fails)
	@status=0; \
	echo "$(BIN)/ruff check ."; $(BIN)/ruff check . || status=1; \
	echo "$(BIN)/ruff format --check ."; $(BIN)/ruff format --check . || status=1; \
	exit $$status

format: $(PIP_STAMP) ## Rewrite the code: ruff format, then ruff check --fix
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

typecheck: $(PIP_STAMP) ## mypy (strict) over bastion and config
	$(BIN)/mypy bastion config

importlint: $(PIP_STAMP) ## import-linter: domain modules never import views or the API
	$(BIN)/lint-imports

migrations-check: $(PIP_STAMP) ## Fail if a model change has no migration
	@mkdir -p var
	$(LOCAL) $(MANAGE) makemigrations --check --dry-run

deploy-check: $(PIP_STAMP) ## manage.py check --deploy with the production settings
	DJANGO_SETTINGS_MODULE=config.settings.production \
	DJANGO_SECRET_KEY="$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
	DJANGO_ALLOWED_HOSTS=bastion.example.org \
	DATABASE_URL=$(POSTGRES_URL) \
		$(MANAGE) check --deploy --fail-level WARNING

check: lint typecheck importlint migrations-check deploy-check ## All of lint, typecheck, importlint, migrations-check, deploy-check

## ---- tidy ---------------------------------------------------------------------

clean: ## Remove var/ (databases, stamps), staticfiles/, bastion/static/vendor/, test-artifacts/
	rm -rf var staticfiles bastion/static/vendor test-artifacts
