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
# Directories that hold Python or notebooks; empty ones are not in a fresh clone.
LINT_PATHS = $(wildcard lib tests scripts notebooks)

.DEFAULT_GOAL := help
.PHONY: help venv install-test install-dev report figures new-year validate demo-data test lint clean

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

venv: $(STAMP_BASE) ## Create the venv (VENV=.venv) and install the package (editable); re-installs when pyproject.toml changes

install-test: $(STAMP_TEST) ## venv plus the test extra and a `python3` Jupyter kernel inside the venv

install-dev: $(STAMP_DEV) ## venv plus the dev extra (ruff, pre-commit, nbstripout)

report: venv ## Produce the report for FY from its data set (e.g. make report FY=2020-21)
	$(BIN)/complaints-report run $(FY)

figures: venv ## Compute FY's figures.json only (no notebooks)
	$(BIN)/complaints-report figures $(FY)

new-year: venv ## Start params/$(FY).yml from the previous year's (make new-year FY=2024-25)
	$(BIN)/complaints-report new-year $(FY)

validate: venv ## Validate the demo export in data/demo
	$(BIN)/complaints-report validate data/demo

demo-data: venv ## Regenerate the synthetic demo export in data/demo/
	$(VPY) scripts/generate_demo_data.py

test: install-test ## Run the whole test suite (PYTEST_ARGS="..." to pass options)
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install-dev ## ruff check over lib, tests, scripts and notebooks
	$(BIN)/ruff check $(LINT_PATHS)

clean: ## Remove everything under outputs/ except outputs/README.md and outputs/.gitkeep
	@if [ -d outputs ]; then \
		find outputs -mindepth 1 -maxdepth 1 ! -name README.md ! -name .gitkeep -exec rm -rf {} + ; \
	fi
