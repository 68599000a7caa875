# Didban — the two commands a new user needs are `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
ONLY   ?=

.PHONY: demo test lint format bench messages vendor-check serve worker clean help

help:
	@echo "make demo    - install, migrate, load the demo scenario, serve http://127.0.0.1:8000 with the worker"
	@echo "make test    - install test dependencies and run the whole suite (lint + tests)"
	@echo "make bench   - run the benchmarks (ONLY=name for one); results in var/bench/latest.json"
	@echo "make lint    - ruff check and format check"
	@echo "make messages - extract and compile translations (needs GNU gettext)"

$(BIN)/python:
	@scripts/check-python.sh "$(PYTHON)"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e ".[test]"
	@touch $@

demo: $(VENV)/.installed
	@scripts/system-deps.sh runtime
	$(BIN)/didban demo

serve: $(VENV)/.installed
	$(BIN)/didban serve

worker: $(VENV)/.installed
	$(BIN)/didban worker

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: $(VENV)/.installed-test
	@scripts/system-deps.sh
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	scripts/vendor.sh --check
	$(BIN)/python -m pytest -n 2 $(PYTEST_ARGS)

$(VENV)/.installed-bench: pyproject.toml $(VENV)/.installed-test
	$(BIN)/python -m pip install --quiet -e ".[test,bench]"
	@touch $@

bench: $(VENV)/.installed-bench
	$(BIN)/python -m bench $(if $(ONLY),--only $(ONLY),)

format: $(VENV)/.installed-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

messages: $(VENV)/.installed
	cd didban && ../$(BIN)/django-admin makemessages -l fa -l en --no-obsolete --ignore 'static/*' && ../$(BIN)/django-admin makemessages -d djangojs -l fa -l en --no-obsolete --ignore 'static/vendor/*' || true
	cd didban && ../$(BIN)/django-admin compilemessages

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
