# Two commands for a newcomer: `make site` and `make test`. Everything else is set up on the way.
# Needs only Python 3.11+, Node/npm and (for the site checks) Debian packages, which `make test` installs.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
SETTINGS ?= pelicanconf.py
export PYTHONPATH := $(CURDIR)/plugins:$(CURDIR)/tools
# Python's compiled modules are kept in cache/python/ (git-ignored), not beside the sources: none in
# the tree, and none compiled again on every run (our own modules' compiling was a tenth of the
# sample's build, 0.23 s of CPU, while the modules were compiled afresh on every run).
export PYTHONPYCACHEPREFIX := $(CURDIR)/cache/python
unexport PYTHONDONTWRITEBYTECODE

.PHONY: help setup site test check serve check-site publish bench contract new-opportunity unchanged workbook import-workbook import-360giving import-spend clean
.DEFAULT_GOAL := help

help:
	@echo "make site         set up and build the site into output/"
	@echo "make test         set up and run every test (including the site checks)"
	@echo "make check        validate data/ and content/ only: the quick check before you push"
	@echo "make serve        live preview on http://127.0.0.1:8000, updated as you save"
	@echo "make check-site   check the built output/: links, HTML, accessibility, screenshots"
	@echo "make publish      build with publishconf.py (production address)"
	@echo "make bench        benchmark the build at scale (installs Hugo from Debian for the comparison)"
	@echo "make new-opportunity  start a new opportunity file with the next free id"
	@echo "make unchanged PUBLISHED=<address>  exit 0 when a build now would publish what is there already"
	@echo "make workbook     write data.xlsx: every data file as a sheet to edit in Excel"
	@echo "make import-workbook FILE=data.xlsx  write an edited workbook back to the data files"
	@echo "make import-360giving FILE=grants.json  import a 360Giving file (a mapping file is written first)"
	@echo "make import-spend FILE=spend.csv MAPPING=spend-mapping.yaml  import a finance system's spend export"

# --- set-up ------------------------------------------------------------------------------------

$(VENV)/.runtime: requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed; set PYTHON=python3.11")'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.test: $(VENV)/.runtime requirements-test.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-test.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

theme/static/build/manifest.json: node_modules/.installed tools/build_assets.mjs $(shell find theme/sass theme/js -type f 2>/dev/null)
	node tools/build_assets.mjs

setup: $(VENV)/.runtime theme/static/build/manifest.json

# Chromium and Java for the site checks, and Hugo for the benchmark's test, from Debian's packages (as root in CI, else through sudo).
.system-deps: tools/install_system_deps.sh
	sh tools/install_system_deps.sh
	touch $@

# --- the two commands ------------------------------------------------------------------------

site: setup
	$(PY) -m commissioning build --settings $(SETTINGS)

test: setup $(VENV)/.test .system-deps
	$(PY) -m pytest -q tests

# --- for staff and developers ------------------------------------------------------------------

check: $(VENV)/.runtime
	$(PY) -m commissioning check --settings $(SETTINGS) $(if $(GITHUB),--github)

serve: setup
	$(PY) -m commissioning serve --settings $(SETTINGS)

publish: setup
	$(PY) -m commissioning build --settings publishconf.py

# vnu.jar and axe-core come from npm; screenshots from an earlier run are removed first.
check-site: $(VENV)/.test node_modules/.installed .system-deps
	rm -rf output-checks
	$(PY) -m sitecheck output --screenshots output-checks

contract: $(VENV)/.runtime
	$(PY) -m commissioning contract

bench: setup
	sh tools/install_hugo.sh
	$(PY) bench/run.py $(BENCH_ARGS)
	$(PY) bench/imports.py

# The hourly build's first step: compares the published build-state.json with the data and the clock.
unchanged: $(VENV)/.runtime
	$(PY) -m commissioning unchanged --settings publishconf.py --published "$(PUBLISHED)"

# Bringing data in (docs/publishing.md has a task for each). Each checks the result as the build does
# and writes nothing unless it passes.
workbook: $(VENV)/.runtime
	$(PY) -m commissioning workbook $(if $(OUTPUT),--output $(OUTPUT))

import-workbook: $(VENV)/.runtime
	$(PY) -m commissioning import-workbook $(or $(FILE),data.xlsx)

import-360giving: $(VENV)/.runtime
	$(PY) -m commissioning import-360giving $(FILE) $(if $(MAPPING),--mapping $(MAPPING)) $(if $(REPLACE),--replace)

import-spend: $(VENV)/.runtime
	$(PY) -m commissioning import-spend $(FILE) --mapping $(MAPPING) $(if $(REPLACE),--replace)

new-opportunity: $(VENV)/.runtime
	$(PY) tools/new_opportunity.py $(if $(TITLE),--title "$(TITLE)")

clean:
	rm -rf output output.* output-checks theme/static/build .pytest_cache
