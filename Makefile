# Two entry points a newcomer needs: `make serve` and `make test`. Everything else is what they call.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# Debian packages the browser and reasoner tests need (installed only where missing, as root).
SYSTEM_PACKAGES := chromium default-jre-headless wrk virtuoso-opensource

.PHONY: serve test test-fast build lint bench loadtest clean venv deps test-deps node-deps system-deps
# The fast lane: no server, store, browser or slow test (see tests/conftest.py).
FAST_LANE := not server and not store and not browser and not slow
# One worker per core (at most four); the tests of a store, or of the browser, stay on one worker.
PARALLEL := -n auto --maxprocesses 4 --dist loadgroup

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Python 3.11 or newer is needed")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

venv: $(BIN)/python

deps: venv
	$(BIN)/pip install --quiet -e .

test-deps: venv
	$(BIN)/pip install --quiet -e '.[test]'

node-deps:
	@if [ -f package.json ]; then npm ci --no-audit --no-fund --loglevel=error; fi

system-deps:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v java >/dev/null 2>&1 || missing="$$missing default-jre-headless"; \
	command -v wrk >/dev/null 2>&1 || missing="$$missing wrk"; \
	command -v virtuoso-t >/dev/null 2>&1 || missing="$$missing virtuoso-opensource"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  else echo "Not installed (Debian packages):$$missing; the tests that need them are skipped, each saying why" >&2; fi; \
	fi

## Build the graph and serve it on http://$(HOST):$(PORT)/
serve: deps node-deps
	$(BIN)/kgapp serve --host $(HOST) --port $(PORT)

## Run the whole test suite (unit, live-server, store, browser and reasoner tests), linters and types
test: test-deps node-deps system-deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/pytest $(PARALLEL)

## The inner loop: units, golden cases and the test client, no servers, stores or browsers (< 2 min)
test-fast: test-deps
	$(BIN)/pytest $(PARALLEL) -m "$(FAST_LANE)"

build: deps
	$(BIN)/kgapp build

lint: test-deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

## The benchmarks (results in docs/benchmarks.md): the store engines, then serving against peers
bench: test-deps system-deps
	$(BIN)/python -m bench.run
	$(BIN)/python -m bench.build --output docs/benchmarks.md
	$(BIN)/python -m bench.serving.run
	$(BIN)/python -m bench.writes --output docs/benchmarks.md

## 60 s at concurrency 16 against a live kgapp serve on 127.0.0.1 (results in docs/benchmarks.md)
loadtest: test-deps
	$(BIN)/python -m bench.loadtest

clean:
	rm -rf var test-artifacts .pytest_cache
