# Two commands for a fresh machine (see README.md):
#   make run   – install, build the index if needed, serve the web chat
#   make test  – install (with dev tools), lint, type-check, run the fast test suite
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
WORKERS ?= 1
TEST_WORKERS ?= 2

.PHONY: run test install install-dev lint typecheck pytest eval bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

run: install
	$(BIN)/sme-assistant serve --host $(HOST) --port $(PORT) --workers $(WORKERS)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install-dev
	$(BIN)/mypy

pytest: install-dev
	$(BIN)/pytest -q -n $(TEST_WORKERS)

test: lint typecheck pytest

eval: install
	$(BIN)/sme-assistant eval --out reports/eval

bench: install-dev
	$(BIN)/python benchmarks/run_all.py --out reports/bench

clean:
	rm -rf $(VENV) data/store reports .pytest_cache .mypy_cache .ruff_cache
