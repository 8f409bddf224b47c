# Every target creates the virtual environment it needs, so a fresh clone works with one command.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint typecheck check bench clean

include ui/ui.mk

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP) ui-build
	$(BIN)/proctor server start

# Most tests wait on processes, sockets and browsers rather than the CPU, so three
# workers finish sooner even on two cores; a file's tests stay on one worker (they share
# module-scoped databases and servers). PYTEST_WORKERS=0 runs them in one process.
# The browser tests run on their own afterwards: Playwright's sync API keeps an event loop
# running in its process for the whole session, which other tests cannot share. Each of
# their files has a server of its own, so two workers (each with its own Chromium) share
# nothing.
PYTEST_WORKERS ?= 3
UI_TEST_WORKERS ?= 2

test: $(STAMP) lint typecheck ui-build ui-test
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist loadfile --ignore=tests/ui
	$(BIN)/python -m pytest -n $(UI_TEST_WORKERS) --dist loadfile tests/ui

lint: $(STAMP)
	$(BIN)/ruff check src tests examples benchmarks
	$(BIN)/ruff format --check src tests examples benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy src/proctor

bench: $(STAMP)
	$(BIN)/python benchmarks/engine.py map 10000
	$(BIN)/python benchmarks/engine.py wide 1000
	$(BIN)/python benchmarks/engine.py chain 1000
	$(BIN)/python benchmarks/engine.py hello 1

clean: ui-clean
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
