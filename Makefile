# netcomply: the two commands a new machine needs are `make demo` and `make test`.
# Both install whatever is missing first (Debian packages, the virtual environment, the project itself).

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
OUT    ?= out
PYTEST_ARGS ?=

.PHONY: all test test-all demo screenshots bench lint typecheck deps system-deps ansible-collections lab-up lab-down clean help

help:
	@echo "make demo   - start the lab, run a full audit, write the report to $(OUT)/demo, stop the lab"
	@echo "make screenshots - regenerate docs/img/*.png (the report guide's pictures) from the demo"
	@echo "make test   - the default test suite (lab, SNMP, SSH, PostgreSQL, namespaces when root)"
	@echo "make bench  - benchmarks under benchmarks/ (speed and memory figures as JSON)"
	@echo "make lint   - ruff, mypy and the layer contracts (lint-imports)"

deps: system-deps $(STAMP) ansible-collections

# Cheap and idempotent (dpkg-query per package): run every time so a removed package comes back.
system-deps:
	@./tools/system-deps.sh

# The Ansible transport's collections (cisco.ios, ansible.netcommon, ansible.utils) out of the ansible wheel;
# a no-op (milliseconds) when they are installed already.
ansible-collections: $(STAMP)
	@./tools/ansible-collections.sh $(BIN)/python

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

# The layer contracts (pyproject.toml [tool.importlinter]) first: CI (.ci/run -> make test) fails on a broken one.
test: deps
	$(BIN)/lint-imports --no-cache
	$(BIN)/python -m pytest -q $(PYTEST_ARGS)

test-all: deps
	$(BIN)/python -m pytest -q -m "" $(PYTEST_ARGS)

demo: deps
	$(BIN)/netcomply demo --out $(OUT)/demo

# The pictures of docs/reading-the-report.md: runs the demo, opens its report in headless Chromium, writes docs/img/.
screenshots: deps
	$(BIN)/python tools/screenshots.py --out docs/img

bench: deps
	@set -e; for b in benchmarks/bench_*.py; do echo "== $$b"; $(BIN)/python $$b; done

lint: deps
	$(BIN)/ruff check .
	$(BIN)/mypy netcomply collectors compliance reports
	$(BIN)/lint-imports --no-cache

lab-up: deps
	$(BIN)/netcomply lab up

lab-down: deps
	$(BIN)/netcomply lab down

clean:
	rm -rf $(OUT) .pytest_cache .ruff_cache .mypy_cache
