# make demo — set everything up and serve the site on http://127.0.0.1:8000
# make test — lint and run the whole test suite (DATABASE_URL=postgres://… to run it on PostgreSQL)

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: install demo test lint bench bench-dispatch clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Kesu needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

demo: install
	$(BIN)/kesu demo

lint: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports

test: lint
	$(BIN)/pytest

bench: install
	$(BIN)/python bench/parse.py
	$(BIN)/python bench/survey.py --no-r --no-svy

bench-dispatch: install
	$(BIN)/python bench/dispatch.py

clean:
	rm -rf $(VENV) kesu.sqlite3 staticfiles .pytest_cache
