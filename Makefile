# Everything installs into .venv from nothing: `make demo` and `make test` need only Python 3.10+.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# The CPU build of torch (the training extra); a plain `torch` would pull a multi-GB CUDA build.
TORCH_SPEC ?= torch==2.13.0

.PHONY: demo lint test bench eval-pii fuzz install install-test clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.core: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.test: pyproject.toml $(VENV)/.core
	$(BIN)/pip install -q "$(TORCH_SPEC)"
	$(BIN)/pip install -q -e ".[test,train]"
	$(BIN)/pip install -q -e ".[ray]"
	touch $@

install: $(VENV)/.core
install-test: $(VENV)/.test

demo: $(VENV)/.core
	$(BIN)/dsbuild make --agent demo-agent --input dsbuild/samples/demo_export.json --overwrite

lint: $(VENV)/.test
	$(BIN)/ruff check dsbuild tests
	$(BIN)/mypy dsbuild

test: lint
	$(BIN)/python -m pytest -q

bench: $(VENV)/.test
	@for f in tests/benchmarks/bench_*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done

# Hostile, structure-aware exports for 10 minutes (FUZZ_SECONDS); `make test` runs 25 of them.
FUZZ_SECONDS ?= 600
fuzz: $(VENV)/.test
	$(BIN)/python -m tests.fuzz_run --seconds $(FUZZ_SECONDS)

# `make eval-pii EVAL_ARGS=--quick` for a small run (see tests/benchmarks/eval_pii.py --help).
eval-pii: $(VENV)/.test
	$(BIN)/python tests/benchmarks/eval_pii.py $(EVAL_ARGS)

clean:
	rm -rf $(VENV) data build *.egg-info
