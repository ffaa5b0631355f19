# Two entry points: `make run` (the main job) and `make test` (the test suite).
# Each creates .venv with Python 3.11+ and installs what it needs; re-running is cheap.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint install

# constraints.txt pins every package (the CPU build of PyTorch included).
$(STAMP): pyproject.toml requirements-torch.txt constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -r requirements-torch.txt
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

INDEX := var/index
# All 61 documents (Fujian and the 60 State Council ones), for the multi-document floors.
INDEX61 := var/index61
CORPUS61 := corpus/fujian_2021_fangguanfu.txt corpus/govcn_2018_2019.jsonl

# Browser tests drive Debian's Chromium (never a downloaded browser) with a CJK font, and inject
# axe-core from the npm registry. The tests of shared rate limits start Debian's redis-server.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
CHROMIUM := /usr/bin/chromium
CJK_FONT := /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc
REDIS := /usr/bin/redis-server
NODE_STAMP := node_modules/.installed

$(CHROMIUM) $(CJK_FONT) $(REDIS):
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends chromium fonts-noto-cjk redis-server

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

$(INDEX)/manifest.json: $(STAMP)
	$(BIN)/policyqa build --index $(INDEX)

run: $(INDEX)/manifest.json
	$(BIN)/policyqa serve --index $(INDEX)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/hadolint Dockerfile

test: $(STAMP) $(CHROMIUM) $(CJK_FONT) $(REDIS) $(NODE_STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/hadolint Dockerfile
	$(BIN)/python -m pytest
	$(BIN)/policyqa build --index $(INDEX)
	$(BIN)/policyqa eval --index $(INDEX) --floors
	$(BIN)/policyqa eval --index $(INDEX) --gold eval/gold/citizens.jsonl --split test --floors
	$(BIN)/policyqa eval --index $(INDEX) --gold eval/gold/citizens2.jsonl --split test --floors
	$(BIN)/policyqa eval --index $(INDEX) --gold eval/gold/citizens3.jsonl --split test --floors
	$(BIN)/policyqa eval --index $(INDEX) --gold eval/gold/citizens4.jsonl --split test --floors
	$(BIN)/policyqa eval --index $(INDEX) --gold eval/gold/citizens5.jsonl --split test --floors
	$(BIN)/policyqa eval --index $(INDEX) --gold eval/gold/citizens6.jsonl --split test --floors
	$(BIN)/policyqa eval --index $(INDEX) --gold eval/gold/citizens7.jsonl --split test --floors
	$(BIN)/policyqa eval --index $(INDEX) --gold eval/gold/citizens8.jsonl --split test --floors
	$(BIN)/policyqa eval --index $(INDEX) --gold eval/gold/citizens9.jsonl --split test --floors
	$(BIN)/policyqa eval --index $(INDEX) --gold eval/gold/citizens10.jsonl --split test --floors
	$(BIN)/policyqa build --index $(INDEX61) --corpus $(CORPUS61)
	$(BIN)/policyqa eval --index $(INDEX61) --floors
	$(BIN)/policyqa eval --index $(INDEX61) --gold eval/gold/govcn.jsonl --split test --floors
	$(BIN)/policyqa eval --index $(INDEX61) --gold eval/gold/govcn2.jsonl --split test --floors
	$(BIN)/policyqa eval --index $(INDEX61) --gold eval/gold/govcn3.jsonl --split test --floors
	$(BIN)/policyqa eval --index $(INDEX61) --gold eval/gold/govcn4.jsonl --split test --floors
	$(BIN)/policyqa eval --index $(INDEX61) --gold eval/gold/govcn5.jsonl --split test --floors
	$(BIN)/policyqa eval --index $(INDEX61) --gold eval/gold/govcn6.jsonl --split test --floors
	$(BIN)/policyqa eval --index $(INDEX61) --gold eval/gold/govcn7.jsonl --split test --floors
	$(BIN)/policyqa eval --index $(INDEX61) --gold eval/gold/govcn8.jsonl --split test --floors
	$(BIN)/policyqa eval --index $(INDEX61) --gold eval/gold/govcn9.jsonl --split test --floors
	$(BIN)/policyqa eval --index $(INDEX61) --gold eval/gold/govcn10.jsonl --split test --floors
