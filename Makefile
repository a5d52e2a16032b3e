# Every target builds .venv first, so a fresh clone needs only python3, pip and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
FLOOR_VENV := .venv-floor
FLOOR_STAMP := $(FLOOR_VENV)/.installed

.PHONY: install demo test test-floor lint typecheck bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/python examples/demo.py

lint: $(STAMP)
	$(BIN)/ruff check contract_tools tests examples benchmarks
	$(BIN)/ruff format --check contract_tools tests examples benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy

test: lint typecheck
	$(BIN)/python -m pytest -q -n 2

# The floor: every dependency at the lower bound pyproject.toml declares (.ci/floor.txt, which
# tests/test_packaging.py keeps equal to them) on the oldest Python it allows when this machine
# has one (.ci/floor-python says which), running the suite; no linters. Its own venv, rebuilt
# from scratch whenever the bounds change, so nothing newer is left over from an earlier run.
$(FLOOR_STAMP): pyproject.toml .ci/floor.txt .ci/floor-python
	rm -rf $(FLOOR_VENV)
	"$$(bash .ci/floor-python)" -m venv $(FLOOR_VENV)
	$(FLOOR_VENV)/bin/pip install --quiet --upgrade pip
	$(FLOOR_VENV)/bin/pip install --quiet -e '.[test]' -c .ci/floor.txt
	touch $(FLOOR_STAMP)

test-floor: $(FLOOR_STAMP)
	$(FLOOR_VENV)/bin/python --version
	$(FLOOR_VENV)/bin/python -m pytest -q -n 2

bench: $(STAMP)
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(VENV) $(FLOOR_VENV) build dist *.egg-info
