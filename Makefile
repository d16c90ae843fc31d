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
	$(BIN)/python -m pip install -q -e '.[dev]'
	@touch $(STAMP)

reports: $(STAMP) ## render every notebook x scenario into reports/ (incremental), then the briefing decks
	$(BIN)/sustainment validate
	$(BIN)/sustainment render --all
	$(BIN)/sustainment export briefing
	$(BIN)/sustainment export compare --scenarios baseline north_korea_cutoff

test: $(STAMP) ## run the test suite
	$(BIN)/python -m pytest

validate: $(STAMP) ## check data/ and print one line per problem
	$(BIN)/sustainment validate

lab: $(STAMP) ## open JupyterLab on the project's kernel
	$(BIN)/python -m pip install -q -e '.[dev,lab]'
	$(BIN)/jupyter lab --notebook-dir=notebooks

strip: $(STAMP) ## clear notebook outputs before committing (the tests insist)
	$(BIN)/jupyter nbconvert --clear-output --inplace --log-level=WARN notebooks/*.ipynb

bench: $(STAMP) ## print performance figures (no assertions)
	$(BIN)/python bench/models.py
	@test ! -f bench/render.py || $(BIN)/python bench/render.py

clean: ## remove generated reports (keeps reports/README.md)
	find reports -mindepth 1 ! -name README.md ! -name .gitkeep -exec rm -rf {} +
