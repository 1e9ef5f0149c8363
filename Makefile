# wparchive: the two commands a newcomer needs are `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
LOWEST := .venv-lowest
URL     ?=
ARCHIVE ?= archive.db
PORT    ?= 8001
THEME   ?= twentytwentyone

.PHONY: run test test-lowest lint system-packages demo-up demo-down bench score clean

# Install the project (and its test tools) into its own virtual environment.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

# Debian packages the fixture blog and the browser tests need (root, apt-get).
system-packages:
	bash scripts/install-system-packages.sh

# Crawl a blog into $(ARCHIVE) and serve it with Datasette on 127.0.0.1:$(PORT).
# Without URL=…, the offline demo blog (a real WordPress on 127.0.0.1) is archived.
run: $(STAMP)
	URL='$(URL)' ARCHIVE='$(ARCHIVE)' PORT='$(PORT)' THEME='$(THEME)' bash scripts/run.sh

# Every test: lint, types, unit, real WordPress integration, Datasette in a real browser;
# then lint and the unit tests again on the lowest versions pyproject.toml allows.
test: $(STAMP) system-packages
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/python -m pytest
	$(MAKE) test-lowest

# Lint and the unit tests on the lowest version of every dependency pyproject.toml names
# (uv's lowest-direct resolution), in an environment of their own: each lower bound there
# must be a version the code works with.
$(LOWEST)/.installed: pyproject.toml $(STAMP)
	rm -rf $(LOWEST)
	$(PYTHON) -m venv $(LOWEST)
	$(BIN)/uv pip install --quiet --python $(LOWEST)/bin/python --resolution lowest-direct \
		-e '.[test]'
	touch $@

# No mypy here: type stubs of the oldest releases are looser or stricter than today's
# (Scrapy 2.16 types Crawler.stats as optional); the types are checked once, on the newest.
test-lowest: $(LOWEST)/.installed
	$(LOWEST)/bin/ruff check .
	$(LOWEST)/bin/python -m pytest -q -m "not wordpress and not browser"

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy

demo-up: $(STAMP) system-packages
	$(BIN)/python -m tests.wordpress.wpsite up --theme $(THEME)

demo-down: $(STAMP)
	$(BIN)/python -m tests.wordpress.wpsite down

# Benchmarks print ratios against references measured in the same run; not part of CI.
bench: $(STAMP)
	$(BIN)/pip install --quiet -e '.[test,bench]'
	$(BIN)/python -m bench

score: $(STAMP)
	$(BIN)/python bench/score_corpus.py
	$(BIN)/python bench/score_reviews.py

clean:
	rm -rf $(VENV) $(LOWEST) test-output .pytest_cache .ruff_cache
