# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test install install-dev benchmark clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

# pip compiles bytecode one file at a time; compiling after the install, on every core, gives the same .pyc files
# sooner (the suite needs them: without them its subprocesses compile mlflow and scikit-learn on first import).
# A file that does not compile (test data inside some wheels) is left uncompiled, as pip leaves it. Packages' own test
# folders, sympy and networkx (none imported on degrade-ml's paths; anything imported compiles on first use anyway)
# are skipped: a quarter of the 1.8 GB, 56 → 42 s here.
$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --no-compile -e '.[dev]'
	$(BIN)/python -m compileall -qq -j 0 -x '/(tests|sympy|networkx)/' "$$($(BIN)/python -c 'import sysconfig; print(sysconfig.get_path("purelib"))')" || true
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

demo: install
	$(BIN)/degrade-ml predict --se Li6PS5Cl --electrode NMC811 --coating LiNbO3 --voltage 4.3
	$(BIN)/degrade-ml predict --se LGPS --electrode Li

test: install-dev
	$(BIN)/python -m pytest

benchmark: install-dev
	$(BIN)/python benchmarks/predict.py
	$(BIN)/python benchmarks/screen.py
	$(BIN)/python benchmarks/thermo.py
	$(BIN)/python benchmarks/app.py

clean:
	rm -rf $(VENV) .pytest_cache
