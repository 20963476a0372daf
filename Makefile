# Two commands on a fresh machine: `make site` (execute what changed, build the site) and
# `make test` (every check CI runs). Both create the virtual environment when needed.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

# The course data: ../shared/data on the development machines and in CI; elsewhere the package's
# loader uses its cache or downloads (see README).
ifneq ($(wildcard ../shared/data/names.txt),)
export ZTH_DATA_DIR ?= $(abspath ../shared/data)
endif

.PHONY: install site notebooks serve test verify lint format lock benchmark clean browser

install: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-deps -e .
	touch $(STAMP)

notebooks: $(STAMP)
	$(PY) tools/notebooks.py build

site: notebooks
	$(PY) -m mkdocs build --strict

serve: $(STAMP)
	$(PY) -m mkdocs serve

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy

format: $(STAMP)
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

# Every check CI runs: lint, the notebooks' freshness, the strict site build, the unit and site
# tests, then every notebook re-executed and each output compared with the published one.
test: $(STAMP) lint browser
	$(PY) tools/notebooks.py check
	$(PY) -m mkdocs build --strict
	$(PY) -m pytest tests
	$(PY) tools/notebooks.py verify -j 2

# One notebook: make verify NB=tutorials/03_makemore_mlp.ipynb (re-execute it, compare outputs).
verify: $(STAMP)
	$(PY) tools/notebooks.py verify $(NB)

# The browser test drives the system Chromium. CI runs as root on Debian: install it there. On
# a user's machine nothing is installed; the test skips and says how to install it.
browser:
	@if [ -n "$$CI" ] && [ "$$(id -u)" = 0 ] && ! command -v chromium >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	fi

benchmark: $(STAMP)
	$(PY) benchmarks/micrograd_moons.py
	$(PY) benchmarks/bpe_training.py
	$(PY) benchmarks/hot_loops.py

lock: $(STAMP)
	$(PY) -m pip freeze --exclude-editable | sed 's/+cpu$$//' > requirements.txt

clean:
	rm -rf site .cache .pytest_cache
