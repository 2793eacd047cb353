# Futurs voisins — `make run` starts the demo site, `make test` runs the tests.
# Needs only Python 3.12+; everything else goes into .venv/.

VENV := .venv
BIN := $(VENV)/bin
# The first interpreter that is Python 3.12 or newer.
PYTHON ?= $(shell for p in python3.13 python3.12 python3; do \
	$$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && echo $$p && break; done)
DEMO_PROFILES ?= 3000
# Where `make run` serves the demo (`make run PORT=8010`); the demo's Site, hence the
# links of its emails, and its partner's embedding origin follow it.
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run prod test lint format venv demo clean

$(BIN)/.installed: pyproject.toml constraints.txt
	@test -n "$(PYTHON)" || { echo "Python 3.12 or newer is needed (python3 --version)."; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[site,test]'
	touch $@

venv: $(BIN)/.installed

demo: venv
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py load_geography
	$(BIN)/python manage.py setup_demo --profiles $(DEMO_PROFILES) --host $(HOST) --port $(PORT)

run: demo
	@printf '\nDemo ready: http://$(HOST):$(PORT)/  —  admin: http://$(HOST):$(PORT)/admin/\n\n'
	WAGTAILADMIN_BASE_URL=http://$(HOST):$(PORT) $(BIN)/python manage.py runserver $(HOST):$(PORT)

# The demo as production serves it: gunicorn, PostgreSQL, Redis, the task worker
# (scripts/serve-production; PROD_DATABASE_URL, PROD_CACHE_URL and PROD_PORT to change them).
PROD_PORT ?= 8001
prod: venv
	$(BIN)/python scripts/serve-production --host $(HOST) --port $(PROD_PORT) --demo-profiles $(DEMO_PROFILES)

test: venv
	bash scripts/run-tests

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: venv
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) db.sqlite3 media .test-media .prod
