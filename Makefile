# factcheck — `make run` serves the demo, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
## Bytecode is cached even where PYTHONDONTWRITEBYTECODE is set: every worker, server and command a
## test starts would otherwise compile the project again, and pytest rewrite every test module's asserts.
PYTEST := env PYTHONDONTWRITEBYTECODE= $(BIN)/python -m pytest
# `make run HOST=0.0.0.0 PORT=8080`: where the development server listens.
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run setup test test-sqlite test-postgres test-postgres-all coverage lint format bench bench-paths clean lock serve worker backup restore compilemessages messages

## Installs are pinned: from requirements-dev.lock (compiled from the ranges in requirements*.txt).
$(BIN)/.installed: requirements.txt requirements-dev.txt requirements.lock requirements-dev.lock
	$(PYTHON) scripts/check-lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.lock
	touch $@

install: $(BIN)/.installed compilemessages

## Translations (docs/i18n.md): the .po catalogs are in the repository, the compiled .mo files are
## built here (GNU gettext's msgfmt) whenever a catalog changed, for `make run`, the tests and production.
PO_FILES := $(wildcard locale/*/LC_MESSAGES/*.po locale_overrides/*/LC_MESSAGES/*.po)
MO_FILES := $(PO_FILES:.po=.mo)
compilemessages: $(MO_FILES)
$(MO_FILES) &: $(PO_FILES) | $(BIN)/.installed
	$(BIN)/python manage.py compilemessages --ignore=.venv --ignore=node_modules --verbosity 0

## After changing user-facing strings: regenerate the catalogs, then translate what is new (docs/i18n.md).
messages: $(BIN)/.installed
	$(BIN)/python scripts/check-catalogs --update

setup: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py setup_demo --host "$(HOST)" --port "$(PORT)"

run: setup
	@echo "Serving on http://$(HOST):$(PORT)/ (Ctrl-C to stop)"
	$(BIN)/python manage.py runserver "$(HOST):$(PORT)"

## Production: gunicorn under production settings (SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL from the
## environment; PORT, WEB_CONCURRENCY, HOST=127.0.0.1 by default). See docs/deploy.md.
PROD := DJANGO_SETTINGS_MODULE=factcheck.settings.production

serve: install
	$(PROD) $(BIN)/python manage.py migrate --noinput
	$(PROD) $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(PROD) $(BIN)/gunicorn --config gunicorn.conf.py

## Background tasks (daily feed pruning, webhook deliveries); run one or more per machine.
worker: install
	$(PROD) $(BIN)/python manage.py run_worker

## pg_dump -Fc of DATABASE_URL into backups/ (or BACKUP=file); `make restore BACKUP=file` into DATABASE_URL.
backup:
	scripts/backup $(BACKUP)

restore:
	scripts/restore $(BACKUP)

## The suite: everything on SQLite, and on PostgreSQL what needs it (`postgres`: locks, triggers, plans,
## search, backups, the deployment) plus a `smoke` set of pages, API reads and writes and the workflow.
## Both passes run on WORKERS pytest-xdist processes (`auto`: one per core; WORKERS=0 runs in-process);
## the modules whose tests share rows built once stay on one worker (tests/conftest.py: SHARED_ROWS_MODULES).
## PostgreSQL is skipped with a notice when none can be started, unless FACTCHECK_REQUIRE_POSTGRES=1
## (.ci/run sets it). `make test-postgres-all` runs every non-browser test on PostgreSQL.
WORKERS ?= auto
XDIST := -n $(WORKERS) --dist loadgroup
POSTGRES_PASS ?= postgres or smoke

## The two passes run at the same time: alone, each left a core idle while its tests waited on servers,
## browsers, subprocesses and the database; together they keep both busy. `--output-sync` prints each
## pass's output whole when it ends.
test:
	$(MAKE) -j2 --output-sync=target test-sqlite test-postgres

test-sqlite: install
	DATABASE_URL= DJANGO_SETTINGS_MODULE=factcheck.settings.test $(PYTEST) $(XDIST) -m "not postgres" $(PYTEST_ARGS)

test-postgres: install
	@status=0; DJANGO_SETTINGS_MODULE=factcheck.settings.test scripts/with-postgres \
	  $(PYTEST) $(XDIST) -m "($(POSTGRES_PASS)) and not browser" $(PYTEST_ARGS) || status=$$?; \
	if [ $$status -eq 3 ] && [ "$${FACTCHECK_REQUIRE_POSTGRES:-0}" != 1 ]; then \
	  echo "PostgreSQL is not available here: the PostgreSQL pass was skipped."; \
	elif [ $$status -ne 0 ]; then exit $$status; fi

test-postgres-all:
	$(MAKE) test-postgres POSTGRES_PASS="not browser"

## Line coverage of claims/ and factcheck/ over both passes (htmlcov/ and a summary).
coverage: install
	rm -f .coverage .coverage.*
	$(MAKE) test-sqlite test-postgres PYTEST_ARGS="--cov --cov-append --cov-report= $(PYTEST_ARGS)"
	$(BIN)/coverage report --skip-covered --sort=cover
	$(BIN)/coverage html --quiet

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python scripts/check-catalogs

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## Every page, the admin and the sync client at 1k and 100k claims under gunicorn (benchmarks/README.md).
## The cluster is sized like a production server's (the 128 MB default holds less than the 100k
## working set of claims, evidence and verdicts with their indexes): benchmarks/README.md.
bench: install
	PG_OPTIONS="-c shared_buffers=1GB -c effective_cache_size=4GB" scripts/with-postgres $(BIN)/python benchmarks/scale.py
	scripts/with-postgres $(BIN)/python benchmarks/matching/evaluate.py
	scripts/with-postgres $(BIN)/python benchmarks/matching/backfill.py

## The write paths and the in-process page timings (publishing, concurrent publishes, feed replay), and
## `GET /` while two 9 MB captures are sent to the worker.
bench-paths: install
	scripts/with-postgres $(BIN)/python benchmarks/run.py
	scripts/with-postgres $(BIN)/python benchmarks/similar.py
	scripts/with-postgres $(BIN)/python benchmarks/huge_captures.py

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles tests/artifacts .pytest_cache .coverage .coverage.* htmlcov
	rm -f $(MO_FILES)

## Re-pin after changing requirements*.txt: keeps existing pins, adds what is new (make lock UPGRADE=1 to upgrade all).
PIP_COMPILE = CUSTOM_COMPILE_COMMAND="make lock" $(BIN)/python -m piptools compile --quiet --strip-extras \
	--no-emit-index-url --no-emit-find-links $(if $(UPGRADE),--upgrade)
lock:
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip show pip-tools >/dev/null 2>&1 || $(BIN)/python -m pip install --quiet "pip-tools>=7.4"
	$(PIP_COMPILE) -o requirements.lock requirements.txt
	$(PIP_COMPILE) -c requirements.lock -o requirements-dev.lock requirements-dev.txt
