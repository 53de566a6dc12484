# factcheck — `make run` serves the demo, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PYTEST := $(BIN)/python -m pytest
# `make run HOST=0.0.0.0 PORT=8080`: where the development server listens.
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run setup test test-sqlite test-postgres lint format bench clean

$(BIN)/.installed: requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(BIN)/.installed

setup: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py setup_demo --host "$(HOST)" --port "$(PORT)"

run: setup
	@echo "Serving on http://$(HOST):$(PORT)/ (Ctrl-C to stop)"
	$(BIN)/python manage.py runserver "$(HOST):$(PORT)"

## The suite on SQLite, then on PostgreSQL (skipped with a notice when none can be started,
## unless FACTCHECK_REQUIRE_POSTGRES=1, as .ci/run sets).
test: test-sqlite test-postgres

test-sqlite: install
	DATABASE_URL= DJANGO_SETTINGS_MODULE=factcheck.settings.test $(PYTEST) -m "not postgres" $(PYTEST_ARGS)

test-postgres: install
	@status=0; DJANGO_SETTINGS_MODULE=factcheck.settings.test scripts/with-postgres $(PYTEST) -m "not browser" $(PYTEST_ARGS) || status=$$?; \
	if [ $$status -eq 3 ] && [ "$${FACTCHECK_REQUIRE_POSTGRES:-0}" != 1 ]; then \
	  echo "PostgreSQL is not available here: the PostgreSQL pass was skipped."; \
	elif [ $$status -ne 0 ]; then exit $$status; fi

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install
	scripts/with-postgres $(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles tests/artifacts .pytest_cache
