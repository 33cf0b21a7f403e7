# Two commands for newcomers: `make serve` and `make test`. Each creates .venv and installs
# what it needs on first use (and again whenever pyproject.toml changes).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve site test lint check linkcheck handouts bench browser clean audit

$(INSTALLED): pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 10) and "Python 3.10+ is required")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[notebooks,test]"
	touch $@

serve: $(INSTALLED) ## Build and serve the site on http://127.0.0.1:8000 with live reload
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

site: $(INSTALLED) ## Strict build into site/
	$(BIN)/mkdocs build --strict --site-dir site

check: $(INSTALLED) ## Validate lecture front matter without building
	$(BIN)/python -m coursebook check

browser: $(INSTALLED) ## Find, else install (once), headless Chromium for tests and handouts
	$(BIN)/python -m coursebook browser

handouts: $(INSTALLED) browser ## Build the site with handout links, then one PDF per lecture (+ course.pdf)
	COURSEBOOK_HANDOUTS=true $(BIN)/mkdocs build --strict --site-dir site
	$(BIN)/python -m coursebook handouts --site site $(HANDOUT_ARGS)

audit: site browser ## Strict build, then axe-core over every page and slide (1280/390 px, light/dark)
	$(BIN)/python -m coursebook audit --site site $(AUDIT_ARGS)

linkcheck: site ## Check external links of the built site (needs the network; not in `make test`)
	$(BIN)/python scripts/linkcheck.py site

lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: $(INSTALLED) lint browser ## Lint, then the whole test suite (browser tests included)
	$(BIN)/python -m pytest

bench: $(INSTALLED) ## Notebook benchmark vs mkdocs-jupyter (and Jupyter Book 1); not a test
	$(BIN)/python -m pip install --quiet -e ".[bench]"
	$(BIN)/python benchmarks/bench.py $(BENCH_ARGS)

clean:
	rm -rf site .venv .pytest_cache .ruff_cache
