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

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
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
