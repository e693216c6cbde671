# The two commands a user needs (see README.md):
#   make run    create .venv, install, start the console on the embedded defaults
#   make test   install the Debian packages the suite needs, create .venv, run the whole suite
# CI (.ci/run) also runs `make test-month-end`: the suite again at 22:30 UTC on the last day
# of the month (the next month already in Moscow), so it passes on any date, and then
# `make conformance`: TM Forum's conformance kits (from $(TMF_KITS)) against the sandbox.
# Python packages come pinned from constraints.txt: a fresh install next month gets the same
# libraries. `make lock` renews it on purpose (then run the suite and commit it).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

# What the GUI needs from Debian when Python itself came from Debian; pycups is built from
# source against libcups (a C compiler and Python's headers).
RUN_PACKAGES  := python3-venv python3-tk fonts-dejavu-core poppler-utils libcups2-dev gcc \
                 python3-dev
# What the test suite needs: a virtual screen, CUPS with a PDF printer, PostgreSQL,
# PDF/PNG tools for reading documents and screenshots back.
TEST_PACKAGES := xvfb xauth x11-utils xdotool cups printer-driver-cups-pdf libcups2-dev zbar-tools \
                 gcc python3-dev postgresql poppler-utils imagemagick fonts-dejavu-core

# TM Forum's conformance kits run on node and npm (Debian's, when neither is there yet).
CONFORMANCE_PACKAGES := nodejs npm

.PHONY: run test test-month-end lint bench fuzz lock run-deps test-deps conformance \
        conformance-deps

run: run-deps $(STAMP)
	$(BIN)/salon

test: test-deps $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/pytest

test-month-end: test-deps $(STAMP)
	$(BIN)/python scripts/at-month-end $(BIN)/pytest

# mypy reads [tool.mypy] in pyproject.toml: which folders, how strict.
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy

# Each kit copied to .conformance/ and run against a fresh sandbox; a table per API, exit 1 on
# any failed assertion. The kits come from $$TMF_KITS (default ../shared/tmf/ctk). Then a clerk's
# day through the console's services, every request and answer held to the v4 documents
# ($$TMF_DOCS, default ../shared/tmf/v4): a table per API, exit 1 on any deviation.
conformance: conformance-deps $(STAMP)
	$(BIN)/python -m conformance

bench: $(STAMP)
	$(BIN)/python -m benchmarks

# 10⁵ cases per typed field through the console's parsers; exits 1 on any traceback.
fuzz: $(STAMP)
	$(BIN)/python -m benchmarks.fuzz_inputs

$(STAMP): setup.py pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip -c constraints.txt
	$(BIN)/pip install --quiet -c constraints.txt -e '.[test]'
	# An editable install leaves our own modules uncompiled: compiled now, a command does not
	# compile them again at every start where bytecode is not written (PYTHONDONTWRITEBYTECODE).
	$(BIN)/python -m compileall -q app models printing sandbox resources > /dev/null
	touch $(STAMP)

# The newest versions setup.py allows, resolved in a scratch venv and written down.
lock:
	rm -rf .lock-venv
	$(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet --upgrade pip
	.lock-venv/bin/pip install --quiet -e '.[test]'
	{ echo "# Exact versions for every install (make lock writes this; commit it on purpose)."; \
	  .lock-venv/bin/pip freeze --exclude-editable --all | grep -v '^setuptools=='; } \
	  > constraints.txt
	rm -rf .lock-venv

run-deps:
	@$(PYTHON) -c 'import venv, tkinter' 2>/dev/null && command -v pdftotext >/dev/null \
		&& test -e /usr/include/cups/cups.h && command -v gcc >/dev/null \
		|| scripts/ensure-debian-packages $(RUN_PACKAGES)

test-deps:
	@scripts/ensure-debian-packages $(TEST_PACKAGES)

# node and npm from anywhere will do (a machine may have NodeSource's nodejs, which carries its
# own npm and conflicts with Debian's npm package): Debian's only when either is missing.
conformance-deps:
	@command -v node >/dev/null && command -v npm >/dev/null \
		|| scripts/ensure-debian-packages $(CONFORMANCE_PACKAGES)
