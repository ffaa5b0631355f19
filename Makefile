# Two entry points: `make run` (the main job) and `make test` (the test suite).
# Each creates .venv with Python 3.11+ and installs what it needs; re-running is cheap.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint install

$(STAMP): pyproject.toml requirements-torch.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-torch.txt
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

INDEX := var/index

$(INDEX)/manifest.json: $(STAMP)
	$(BIN)/policyqa build --index $(INDEX)

run: $(INDEX)/manifest.json
	$(BIN)/policyqa serve --index $(INDEX)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/python -m pytest
	$(BIN)/policyqa build --index $(INDEX)
	$(BIN)/policyqa eval --index $(INDEX) --floors
