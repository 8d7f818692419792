# `make demo` and `make test` work on a fresh machine with python3 (>= 3.10) and network access
# to PyPI: each creates .venv, installs patuh into it, then does its job.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint bench bench-batch bench-web bench-load dist clean

$(STAMP): setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,web]'
	touch $(STAMP)

# patuh is installed inside .venv, so a bare `patuh` is "command not found" until .venv is
# activated: the demo ends by saying how to run it next (Indonesian, then English).
demo: $(STAMP)
	$(BIN)/patuh check examples/dpmptsp-kota-harapan/manifest.yaml
	@printf '%s\n' '' \
	  'Selesai. patuh terpasang di $(VENV)/ (bukan di PATH). Jalankan langsung:' \
	  '    $(BIN)/patuh init unit-saya' \
	  '    $(BIN)/patuh check unit-saya/manifest.yaml' \
	  'atau aktifkan $(VENV) sekali per terminal, lalu cukup ketik patuh:' \
	  '    source $(BIN)/activate        (Linux/macOS)' \
	  '    $(VENV)\Scripts\activate          (Windows)' \
	  '' \
	  'Done. patuh is installed in $(VENV)/ (not on PATH). Run it directly, e.g.' \
	  '$(BIN)/patuh --help, or activate $(VENV) once per terminal' \
	  '(Linux/macOS: source $(BIN)/activate; Windows: $(VENV)\Scripts\activate),' \
	  'then just type patuh.'

# With PATUH_TEST_POSTGRES_URL set (.ci/run sets it), the platform's suite runs a second time on
# PostgreSQL (pytest-django makes its test database there).
test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest
	@if [ -n "$$PATUH_TEST_POSTGRES_URL" ]; then \
	  echo "tests/web on PostgreSQL"; \
	  PATUH_WEB_DATABASE_URL="$$PATUH_TEST_POSTGRES_URL" $(BIN)/python -m pytest -q tests/web; \
	fi

lint: $(STAMP)
	$(BIN)/ruff check .

# The speed budgets: a cold one-unit check against the floor of starting Python with the base
# libraries, loading a manifest, re-scoring one unit after one changed answer, the forms.
bench: $(STAMP)
	$(BIN)/python benchmarks/bench_check.py
	$(BIN)/python benchmarks/bench_manifest_load.py
	$(BIN)/python benchmarks/bench_rescore.py
	$(BIN)/python benchmarks/bench_forms.py

bench-batch: $(STAMP)
	$(BIN)/python benchmarks/bench_batch.py

bench-web: $(STAMP)
	$(BIN)/python benchmarks/bench_web_store.py
	$(BIN)/python benchmarks/bench_web.py
	$(BIN)/python benchmarks/bench_web_summary.py

# 50 operators and 5 viewers for two minutes against `patuh serve` on loopback, then with a
# SIGKILL and restart midway; each run verifies that nothing acknowledged was lost. Another
# database: make bench-load LOAD_ARGS='--database postgresql://user:pw@host/db'
bench-load: $(STAMP)
	$(BIN)/python benchmarks/bench_web_load.py $(LOAD_ARGS)
	$(BIN)/python benchmarks/bench_web_load.py --kill $(LOAD_ARGS)

# The wheel (what users install: pipx/pip install dist/patuh-VERSION-py3-none-any.whl) and the
# source release (the whole project), both in dist/.
dist: $(STAMP)
	$(BIN)/python -m build --outdir dist .

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache
