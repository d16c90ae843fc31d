# sustainment: `make reports` and `make test` are all a fresh machine needs.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help reports test validate lab strip bench clean

help: ## list the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-9s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev,dask]'
	@touch $(STAMP)

reports: $(STAMP) ## render every notebook x scenario into reports/ (incremental), then the briefing decks
	$(BIN)/sustainment reports

test: $(STAMP) ## run the test suite
	$(BIN)/python -m pytest

validate: $(STAMP) ## check data/ and print one line per problem
	$(BIN)/sustainment validate

LAB_STAMP := $(VENV)/.lab-installed
IPYTHON_DIR := $(VENV)/ipython
LAB_ARGS ?= --ip=127.0.0.1 --port=8888
ROOT_FLAG := $(shell [ "$$(id -u)" = 0 ] && echo --allow-root)

$(LAB_STAMP): $(STAMP) pyproject.toml
	$(BIN)/python -m pip install -q -e '.[dev,dask,lab]'
	@mkdir -p $(IPYTHON_DIR)/profile_default
	@printf '%s\n' "c.InteractiveShellApp.extensions = ['autoreload']" \
	  "c.InteractiveShellApp.exec_lines = ['%autoreload 2']" > $(IPYTHON_DIR)/profile_default/ipython_kernel_config.py
	@test ! -d .git || $(BIN)/pre-commit install > /dev/null
	@touch $(LAB_STAMP)

lab: $(LAB_STAMP) ## JupyterLab at the project root (lib/ reloads itself, notebooks paired with .py); LAB_ARGS=... to override
	IPYTHONDIR=$(CURDIR)/$(IPYTHON_DIR) $(BIN)/jupyter lab --ServerApp.root_dir=$(CURDIR) $(ROOT_FLAG) $(LAB_ARGS)

strip: $(STAMP) ## clear notebook outputs before committing (the tests and the pre-commit hook insist)
	$(BIN)/sustainment strip

bench: $(STAMP) ## print performance figures (no assertions)
	$(BIN)/python bench/models.py
	@test ! -f bench/render.py || $(BIN)/python bench/render.py

clean: ## remove generated reports (keeps reports/README.md)
	find reports -mindepth 1 ! -name README.md ! -name .gitkeep -exec rm -rf {} +
