# The index of commands. `make run` and `make test` are the two the README promises.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DUBAN := $(BIN)/duban
STAMP := $(VENV)/.installed

.PHONY: run test lint fmt demo worker migrate messages check bench clean help

help:
	@echo "make run     set up, migrate, load the demo once, serve on http://127.0.0.1:8000 with a worker"
	@echo "make test    run the whole test suite (SQLite; DUBAN_DATABASE_URL=postgres://… for PostgreSQL)"
	@echo "make lint    ruff check + format check + Django checks + migration check"
	@echo "make fmt     format the code"
	@echo "make demo    (re)load the demo bureau: make demo ARGS=--reset"
	@echo "make worker  run the job worker and the periodic scan"

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

run: $(STAMP)
	$(DUBAN) migrate --noinput
	$(DUBAN) demo --if-empty
	$(DUBAN) collectstatic --noinput --verbosity 0
	$(DUBAN) serve

test: $(STAMP)
	$(BIN)/pytest -n auto $(ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(DUBAN) check
	$(DUBAN) makemigrations --check --dry-run

fmt: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

demo: $(STAMP)
	$(DUBAN) migrate --noinput
	$(DUBAN) demo $(ARGS)

worker: $(STAMP)
	$(DUBAN) worker

migrate: $(STAMP)
	$(DUBAN) migrate --noinput

messages: $(STAMP)
	cd duban && ../$(DUBAN) makemessages -l zh_Hans --no-obsolete && ../$(DUBAN) compilemessages -l zh_Hans

bench: $(STAMP)
	$(DUBAN) bench

clean:
	rm -rf $(VENV) var/static
