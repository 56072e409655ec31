# Everything installs into .venv from nothing: `make demo` and `make test` need only Python 3.10+.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# The CPU build of torch (the training extra); a plain `torch` would pull a multi-GB CUDA build.
TORCH_SPEC ?= torch==2.13.0

.PHONY: demo lint test test-trainers bench eval-pii fuzz install install-test clean

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

# Two pytest-xdist workers (this project's CI machine has two cores); TEST_WORKERS=0 runs in one
# process. loadfile: each test file runs on one worker, so what its tests share (one Ray, a
# module's builds) is made once. (loadgroup is no use with pytest 9: xdist 3.8 renames a node id
# pytest no longer reads, so an xdist_group mark is ignored.)
TEST_WORKERS ?= 2
test: lint
	$(BIN)/python -m pytest -q -n $(TEST_WORKERS) --dist loadfile

# LLaMA-Factory's and axolotl's own loaders on every target the card offers them (not in `make
# test`: heavy, and they pin older transformers/torch than the test venv). A venv layered on the
# test venv (a .pth file: its torch, transformers, datasets, trl) gets the two tools and the few
# deps their loaders import that the test venv lacks (axolotl: posthog for its telemetry module,
# numba for its sampler), without their pins: about 1.5 min of installs on top of `make
# install-test`, then about 4 min of tests on 2 cores. LLaMA-Factory imports torchaudio at module
# level and no torchaudio wheel matches the test venv's torch: tests/trainers/conftest.py puts an
# empty stand-in module in its place (the text loaders never call it). DISABLE_VERSION_CHECK:
# LLaMA-Factory pins transformers<=5.6; AXOLOTL_DO_NOT_TRACK / HF_HUB_OFFLINE: no network.
TRAINERS_VENV ?= $(VENV)-trainers
TRAINERS_PKGS ?= llamafactory==0.9.5 axolotl==0.19.0 peft omegaconf antlr4-python3-runtime colorama \
	addict posthog distro backoff numba llvmlite
test-trainers: $(VENV)/.test
	$(PYTHON) -m venv $(TRAINERS_VENV)
	$(TRAINERS_VENV)/bin/python -c "import site, sys; open(site.getsitepackages()[0] + '/dsbuild-test-venv.pth', 'w').write(sys.argv[1])" \
		"$$($(BIN)/python -c 'import site; print(site.getsitepackages()[0])')"
	$(TRAINERS_VENV)/bin/pip install -q --no-deps $(TRAINERS_PKGS)
	PATH="$(abspath $(BIN)):$$PATH" DISABLE_VERSION_CHECK=1 AXOLOTL_DO_NOT_TRACK=1 HF_HUB_OFFLINE=1 \
		$(TRAINERS_VENV)/bin/python -m pytest -q tests/trainers

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
