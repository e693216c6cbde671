# The two commands a user needs (see README.md):
#   make run    create .venv, install, start the console on the embedded defaults
#   make test   install the Debian packages the suite needs, create .venv, run the whole suite
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
TEST_PACKAGES := xvfb xauth x11-utils xdotool cups printer-driver-cups-pdf libcups2-dev \
                 gcc python3-dev postgresql poppler-utils imagemagick fonts-dejavu-core

.PHONY: run test lint bench fuzz run-deps test-deps

run: run-deps $(STAMP)
	$(BIN)/salon

test: test-deps $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check .

bench: $(STAMP)
	$(BIN)/python -m benchmarks

# 10⁵ cases per typed field through the console's parsers; exits 1 on any traceback.
fuzz: $(STAMP)
	$(BIN)/python -m benchmarks.fuzz_inputs

$(STAMP): setup.py pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

run-deps:
	@$(PYTHON) -c 'import venv, tkinter' 2>/dev/null && command -v pdftotext >/dev/null \
		&& test -e /usr/include/cups/cups.h && command -v gcc >/dev/null \
		|| scripts/ensure-debian-packages $(RUN_PACKAGES)

test-deps:
	@scripts/ensure-debian-packages $(TEST_PACKAGES)
