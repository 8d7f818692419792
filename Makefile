# `make demo` and `make test` work on a fresh machine with python3 (>= 3.10) and network access
# to PyPI: each creates .venv, installs patuh into it, then does its job.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint bench bench-batch clean

$(STAMP): setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/patuh check examples/dpmptsp-kota-harapan/manifest.yaml

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_check.py

bench-batch: $(STAMP)
	$(BIN)/python benchmarks/bench_batch.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
