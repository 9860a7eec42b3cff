# spinlens: `make demo` sets up and analyses the examples; `make test` sets up and runs the checks.
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
OUT ?= out

.PHONY: setup demo test lint clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[dev]'
	touch $@

demo: setup
	mkdir -p $(OUT)
	$(BIN)/spinlens analyze examples --db sqlite:///$(OUT)/spinlens.db --format html -o $(OUT)/report.html
	$(BIN)/spinlens export --db sqlite:///$(OUT)/spinlens.db --format jsonl -o $(OUT)/articles.jsonl
	@echo "Report: $(OUT)/report.html  Store: $(OUT)/spinlens.db  JSON Lines: $(OUT)/articles.jsonl"

lint: setup
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy

test: lint
	$(BIN)/pytest

clean:
	rm -rf $(VENV) $(OUT)
