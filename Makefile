# Every target creates the virtual environment it needs, so a fresh clone works with one command.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint typecheck check bench clean

# What a goal needs first (the virtual environment, lint, types, the UI's install, build
# and unit tests) waits on different things (pip, mypy, npm, node), so it is made side by
# side; the tests themselves start once all of it succeeded.
MAKEFLAGS += --jobs=4

include ui/ui.mk

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP) ui-build
	$(BIN)/proctor server start

# Most tests wait on processes, sockets and browsers rather than the CPU (a quiet CI run
# kept two cores about 60% busy), so four workers finish sooner even on two cores; a
# file's tests stay on one worker (they share module-scoped databases and servers).
# PYTEST_WORKERS=0 runs them in one process.
# The browser tests run in a pytest of their own (Playwright's sync API keeps an event
# loop running in its process for the whole session, which other tests cannot share),
# at the same time as the rest: they wait on Chromium while the rest wait on processes.
# Each browser test file has a server of its own, so their workers share nothing. Their
# report is printed once the rest has finished (test-artifacts/ui-tests.log).
PYTEST_WORKERS ?= 4
UI_TEST_WORKERS ?= 1
UI_TEST_LOG := test-artifacts/ui-tests.log

test: $(STAMP) lint typecheck ui-build ui-test
	@mkdir -p test-artifacts
	@$(BIN)/python -m pytest -n $(UI_TEST_WORKERS) --dist loadfile tests/ui > $(UI_TEST_LOG) 2>&1 & ui=$$!; \
	echo "browser tests started (pid $$ui), their report follows the rest's"; \
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist loadfile --ignore=tests/ui; rest=$$?; \
	wait $$ui; browser=$$?; \
	echo "== browser tests (tests/ui) =="; cat $(UI_TEST_LOG); \
	if [ $$rest -ne 0 ] || [ $$browser -ne 0 ]; then exit 1; fi

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
