# KI-Plattform NRW. `make run` and `make test` work on a machine with only
# Python 3.11 and git: they install into .venv and, without DATABASE_URL,
# start an embedded PostgreSQL (ADR 0004).

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8000

export DJANGO_SETTINGS_MODULE := kinrw.conf.settings

.PHONY: install run test lint bench messages help

help:
	@echo "make run    – installieren, Datenbank, Migration, 54 KI anlegen, ausliefern (Port $(PORT))"
	@echo "make test   – installieren, Linter und alle Tests"
	@echo "make bench  – Messungen (bench/README.md)"

install: $(STAMP)

$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "Python 3.11 wird benötigt"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $@

run: install
	$(BIN)/kinrw compilemessages
	DJANGO_DEBUG=$${DJANGO_DEBUG:-1} $(BIN)/kinrw migrate
	DJANGO_DEBUG=$${DJANGO_DEBUG:-1} $(BIN)/kinrw catalogue apply
	DJANGO_DEBUG=$${DJANGO_DEBUG:-1} $(BIN)/kinrw tenants apply
	DJANGO_DEBUG=$${DJANGO_DEBUG:-1} $(BIN)/kinrw demo-data
	DJANGO_DEBUG=$${DJANGO_DEBUG:-1} KINRW_URL_PORT=$(PORT) $(BIN)/kinrw serve --port $(PORT)

lint: install
	$(BIN)/ruff check src tests $(wildcard bench)
	$(BIN)/ruff format --check src tests $(wildcard bench)

test: install lint
	deploy/dev/ensure-chromium
	$(BIN)/kinrw compilemessages
	DJANGO_SECRET_KEY=$${DJANGO_SECRET_KEY:-test-only-not-secret} $(BIN)/kinrw django makemigrations --check --dry-run
	DJANGO_SECRET_KEY=$${DJANGO_SECRET_KEY:-test-only-not-secret} $(BIN)/pytest $(PYTEST_ARGS)

# Update the English catalogue from the German source strings (needs GNU gettext), then
# translate the new entries in src/kinrw/locale/en/LC_MESSAGES/django.po (ADR 0007).
# No database is needed: a placeholder DATABASE_URL keeps the embedded server from starting.
messages: install
	cd src/kinrw && DATABASE_URL=$${DATABASE_URL:-postgres://unused@127.0.0.1:1/unused} DJANGO_SECRET_KEY=$${DJANGO_SECRET_KEY:-messages-only} ../../$(BIN)/kinrw django makemessages -l en --no-obsolete --no-location

# On the embedded PostgreSQL 18 unless BENCH_DATABASE_URL names another server (bench/README.md).
BENCH_DATABASE_URL ?=

bench: install
	DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/kinrw bench all
	DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/kinrw bench workspace
