# One entry point for everything: `make test` installs what it needs (virtualenv, Python
# dependencies, and through flowise_integrations.testing a local Flowise and Chroma) and runs
# every check and test suite.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
INTEGRATION_COVERAGE := .coverage-integration.json
# Every Python file of the project, notebooks included.
LINTED := flowise_integrations tests scripts benchmarks notebooks examples
QUEUE_INTEGRATION_COVERAGE := .coverage-integration-queue.json
# Flowise's production topology: a main server, Redis, BullMQ workers and PostgreSQL.
QUEUE_TOPOLOGY := FLOWISE_TESTING_MODE=queue FLOWISE_TESTING_WORKERS=2 FLOWISE_TESTING_DATABASE=postgres
# The version matrix: the newest 3.1 (the default, where the full suite runs), 3.0 and 2.2 releases.
MATRIX := 3.1.4 3.0.13 2.2.8
COMPAT_RESULTS := $(MATRIX:%=.compat/%.json)

.PHONY: install flowise lint typecheck generate check-generated unit integration integration-queue compat compatibility test clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev,all]"
	touch $(STAMP)

install: $(STAMP)

generate: install
	$(BIN)/python scripts/unasync.py

check-generated: install
	$(BIN)/python scripts/unasync.py --check

lint: install
	$(BIN)/ruff check $(LINTED)
	$(BIN)/ruff format --check $(LINTED)

typecheck: install
	$(BIN)/mypy flowise_integrations

unit: install
	$(BIN)/pytest tests --ignore=tests/integration --ignore=tests/compat -q

integration: flowise
	$(BIN)/pytest tests/integration -q

# The integration suite against the queue topology alone.
integration-queue: flowise
	$(QUEUE_TOPOLOGY) $(BIN)/pytest tests/integration -q

# Each release of the matrix and the Node it needs go into the user cache once (minutes when cold,
# instant after).
flowise: install
	for version in $(MATRIX); do $(BIN)/python -m flowise_integrations.testing --version $$version install || exit 1; done

# The smoke suite (tests/compat) on every release of the matrix; each run leaves .compat/<version>.json.
compat: flowise
	rm -rf .compat
	for version in $(MATRIX); do FLOWISE_TESTING_VERSION=$$version $(BIN)/pytest tests/compat -q || exit 1; done

# Rewrite the matrix in docs/compatibility.md from a fresh compat run.
compatibility: compat
	$(BIN)/python scripts/compatibility.py $(COMPAT_RESULTS)

.PHONY: record-fixtures

# Re-record tests/fixtures (the responses the unit tests answer with) from a fresh local Flowise;
# the output is normalised, so a re-run changes nothing unless Flowise's answers did.
record-fixtures: flowise
	$(BIN)/python scripts/record_fixtures.py

# Unit, harness, adapter and reliability tests; then the client's integration suite, once on one
# Flowise process with SQLite and once in queue mode on PostgreSQL. Each run must call every
# public client method (checked from its coverage report). Last, the smoke suite on every release
# of the matrix, whose results docs/compatibility.md must show.
test: check-generated lint typecheck flowise
	$(BIN)/pytest tests --ignore=tests/integration --ignore=tests/compat -q
	$(BIN)/pytest tests/integration -q --cov=flowise_integrations --cov-report=json:$(INTEGRATION_COVERAGE)
	$(BIN)/python scripts/check_method_coverage.py $(INTEGRATION_COVERAGE)
	$(QUEUE_TOPOLOGY) $(BIN)/pytest tests/integration -q --cov=flowise_integrations \
		--cov-report=json:$(QUEUE_INTEGRATION_COVERAGE)
	$(BIN)/python scripts/check_method_coverage.py $(QUEUE_INTEGRATION_COVERAGE)
	$(MAKE) --no-print-directory compat
	$(BIN)/python scripts/compatibility.py --check $(COMPAT_RESULTS)

.PHONY: demo docs

# The README's first command: examples/quickstart.py, then examples/human_in_the_loop.py (which
# asks for decisions at the prompt when run from a terminal), each against a local Flowise started
# (and stopped) for it, or against the server named by FLOWISE_BASE_URL and FLOWISE_API_KEY (then
# nothing is installed for Flowise).
demo: install
	@if [ -z "$$FLOWISE_BASE_URL" ] || [ -z "$$FLOWISE_API_KEY" ]; then $(MAKE) --no-print-directory flowise; fi
	$(BIN)/python examples/quickstart.py
	$(BIN)/python examples/human_in_the_loop.py

# The documentation site in site/, failing on any warning (`$(BIN)/mkdocs serve` to preview).
# `make test` builds it too, in tests/docs.
docs: install
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict

.PHONY: bench

# Benchmarks against raw httpx, httpx-sse and the official SDK (see benchmarks/README.md): writes
# benchmarks/RESULTS.md and benchmarks/results.json. One scenario runs against a local Flowise.
bench: flowise
	$(BIN)/python -m pip install --quiet -e ".[bench]"
	$(BIN)/python -m benchmarks.run

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
