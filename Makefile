# Porchlight — two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
# Links in emails and members' messages point here; follows HOST and PORT unless set.
SITE_URL ?= http://$(HOST):$(PORT)

.PHONY: run test install install-dev static migrate demo serve lint format bench clean messages

$(VENV)/bin/activate:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/activate
	$(PIP) install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(PIP) install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

var:
	mkdir -p var/media var/static

## messages: compile the translation catalogs (locale/*/LC_MESSAGES/django.po -> .mo) with
## Babel; the .mo files are built, never committed
messages: install
	$(PY) manage.py compilemessages_py

var/secret_key: | var
	umask 077 && $(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@

static: install var
	$(PY) manage.py collectstatic --noinput -v0

migrate: install var
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_demo

## run: set everything up and serve the demo site on http://127.0.0.1:8000 (SQLite, in-process layers)
# The server runs as production does (DEBUG off: the site's own 404 and 500 pages, never
# Django's debug pages with the URL map), on plain http: no redirect to https, cookies not
# marked Secure, no proxy headers trusted. Its secret key is made once, in var/.
RUN_ENV = DEBUG=false SECURE_SSL_REDIRECT=false SECURE_COOKIES=false BEHIND_PROXY=false SECRET_KEY=$$(cat var/secret_key)
# Static files as production serves them: hashed names, compressed copies, cached forever.
# Collected before migrate and load_demo, which render pages linking them (the /status copy).
run: export STATIC_MANIFEST = true
run: var/secret_key messages static demo
	@echo ""
	@echo "  Porchlight is starting on http://$(HOST):$(PORT)/"
	@echo "  Sign in with admin, moderator, staff or member — password: porchlight-demo"
	@echo "  Sign-up emails (verification links) are printed in this terminal."
	@echo ""
	@# The task worker (notification emails, digests, contact mail) runs beside the server
	@# and stops with it.
	SITE_URL=$(SITE_URL) $(RUN_ENV) $(PY) manage.py db_worker --no-reload --interval 2 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	SITE_URL=$(SITE_URL) $(RUN_ENV) $(VENV)/bin/uvicorn config.asgi:application --host $(HOST) --port $(PORT) --lifespan off

## test: install dev dependencies and run the whole suite (honours DATABASE_URL, REDIS_URL, REQUIRE_BROWSER)
test: install-dev var messages
	$(VENV)/bin/pytest -n auto --dist loadgroup $(PYTEST_ARGS)

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

## bench: the first benchmark (see docs/performance.md)
bench: install-dev
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) var .pytest_cache

.PHONY: serve-workers bench-fanout
N ?= 2
BASE_PORT ?= 8001

## serve-workers: N ASGI worker processes on ports BASE_PORT, BASE_PORT+1, … sharing the
## database and Redis (needs REDIS_URL; see docs/scale-out.md)
serve-workers: install var
	$(PY) -m config.serve_workers --workers $(N) --base-port $(BASE_PORT) --host $(HOST)

## bench-fanout: 1,000 WebSocket clients on one thread over 2 workers: delivery p50/p95/p99 and
## worker memory per connection; writes bench/results/fanout.json (see docs/performance.md)
bench-fanout: install-dev
	$(PY) bench/fanout.py

.PHONY: bench-scale
## bench-scale: a million posts on PostgreSQL (seeded once into porchlight_scale), ONE
## uvicorn worker, wrk per page; writes bench/results/scale.json (see docs/performance.md)
bench-scale: install-dev
	$(PY) bench/scale.py
