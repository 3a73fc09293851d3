# Complaints report: common tasks. `make` (or `make help`) lists them.
# Needs only python3 (with its venv module) and make; everything else goes into $(VENV).

PYTHON ?= python3
VENV ?= .venv
FY ?= 2023-24
PYTEST_ARGS ?=

BIN := $(VENV)/bin
VPY := $(BIN)/python
# Stamps record what has been installed into the venv; they depend on pyproject.toml,
# so editing the dependencies re-installs and everything else is a no-op.
STAMP_BASE := $(VENV)/.stamp-base
STAMP_TEST := $(VENV)/.stamp-test
STAMP_DEV := $(VENV)/.stamp-dev
# axe-core (the accessibility audit the browser tests inject) from package-lock.json;
# npm writes this file on every install, so it stamps node_modules/.
STAMP_NODE := node_modules/.package-lock.json
# Debian packages the browser, PDF and Word tests need: Chromium (driven by Playwright, which
# is told not to download its own), a font, poppler's pdftotext/pdftoppm, LibreOffice Writer
# (opens the Word copies headlessly, as a reader's word processor would), and the libraries
# WeasyPrint 70 loads (Pango, PangoFT2, HarfBuzz with its subsetter, fontconfig).
PUBLISH_DEPS := fonts-dejavu-core libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b \
	libharfbuzz-subset0 libfontconfig1
SYSTEM_DEPS := $(PUBLISH_DEPS) chromium poppler-utils libreoffice-writer
# Debian's npm (and its nodejs) only where there is no npm already.
SYSTEM_DEPS += $(if $(shell command -v npm 2>/dev/null),,nodejs npm)
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)
# Directories that hold Python or notebooks; empty ones are not in a fresh clone.
LINT_PATHS = $(wildcard lib tests scripts notebooks benchmarks)

.DEFAULT_GOAL := help
.PHONY: help venv publish-deps system-deps bench bench-reading install-test install-dev report figures new-year validate demo-data test lint clean

help: ## Show the targets and what they do
	@echo "Usage: make TARGET [FY=$(FY)] [PYTHON=$(PYTHON)] [VENV=$(VENV)]"
	@echo
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z0-9_-]+:.*## / {printf "  %-14s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(VPY):
	$(PYTHON) -m venv $(VENV)

# The kernel is installed inside the venv, so Papermill's `python3` kernel is this venv's Python.
$(STAMP_BASE): pyproject.toml | $(VPY)
	$(VPY) -m pip install --upgrade pip
	$(VPY) -m pip install -e .
	$(VPY) -m ipykernel install --sys-prefix --name python3
	@touch $@

$(STAMP_TEST): pyproject.toml $(STAMP_BASE)
	$(VPY) -m pip install -e '.[test]'
	@touch $@

$(STAMP_DEV): pyproject.toml $(STAMP_BASE)
	$(VPY) -m pip install -e '.[dev]'
	@touch $@

$(STAMP_NODE): package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm not found: run 'make system-deps' first" >&2; exit 1; }
	npm ci --no-audit --no-fund
	@touch $@

venv: $(STAMP_BASE) ## Create the venv (VENV=.venv) and install the package (editable); re-installs when pyproject.toml changes

install-test: $(STAMP_TEST) $(STAMP_NODE) ## venv plus the test extra and a `python3` Jupyter kernel inside the venv, and node_modules/ (axe-core)

install-dev: $(STAMP_DEV) ## venv plus the dev extra (ruff, pre-commit, nbstripout)

report: publish-deps venv ## Produce the report for FY from its data set (e.g. make report FY=2020-21)
	$(BIN)/complaints-report run $(FY)

figures: venv ## Compute FY's figures.json only (no notebooks)
	$(BIN)/complaints-report figures $(FY)

new-year: venv ## Start params/$(FY).yml from the previous year's (make new-year FY=2024-25)
	$(BIN)/complaints-report new-year $(FY)

validate: venv ## Validate the demo export in data/demo
	$(BIN)/complaints-report validate data/demo

demo-data: venv ## Regenerate the synthetic demo export in data/demo/
	$(VPY) scripts/generate_demo_data.py

# dpkg-query, not apt, decides: when every package is installed this is instant and needs no root.
define apt_install
	@missing=""; \
	for p in $(1); do \
		dpkg-query -W -f='$${db:Status-Status}' $$p 2>/dev/null | grep -qx installed || missing="$$missing $$p"; \
	done; \
	if [ -z "$$missing" ]; then echo "$@: all installed"; exit 0; fi; \
	command -v apt-get >/dev/null || { \
		echo "$@: no apt-get here (not Debian/Ubuntu); install by hand:$$missing" >&2; exit 1; }; \
	echo "$@: installing$$missing"; \
	$(SUDO) apt-get update && \
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $$missing
endef

publish-deps: ## Debian/Ubuntu libraries the PDF needs (WeasyPrint: Pango, HarfBuzz, a font)
	$(call apt_install,$(PUBLISH_DEPS))

system-deps: ## Everything the tests need too: publish-deps, Chromium, poppler, LibreOffice Writer (sudo when not root)
	$(call apt_install,$(SYSTEM_DEPS))

# system-deps first: it may bring the npm that install-test needs.
test: system-deps install-test ## Run the whole test suite (PYTEST_ARGS="..." to pass options)
	$(BIN)/pytest $(PYTEST_ARGS)

bench: venv publish-deps ## Benchmark the run (medians of 5) and write benchmarks/results.json
	$(VPY) benchmarks/run.py

bench-reading: venv ## Benchmark reading from files alone (CSV 10k/100k/1M, XLSX 100k records) into benchmarks/results.json
	$(VPY) benchmarks/run.py --only reading

lint: install-dev ## ruff check over lib, tests, scripts and notebooks
	$(BIN)/ruff check $(LINT_PATHS)

clean: ## Remove everything under outputs/ (but its README) and what quarto render made at the root
	@if [ -d outputs ]; then \
		find outputs -mindepth 1 -maxdepth 1 ! -name README.md ! -name .gitkeep -exec rm -rf {} + ; \
	fi
	rm -rf _site .quarto _report-book _quarto-year.yml
