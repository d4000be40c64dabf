# toiles — the two commands of the README: `make demo` and `make test`.
# Everything the project needs is installed from here, on a fresh machine with Python 3.11+.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

# Password of the local, loopback-only Neo4j server used by the tests (not a production secret).
TOILES_NEO4J_PASSWORD ?= toiles-local-test
TOILES_NEO4J_PORT ?= 7687
TOILES_TEST_NEO4J_URL ?= neo4j://127.0.0.1:$(TOILES_NEO4J_PORT)
# The separate database user of the API's /cypher, created by neo4j-start (same caveat).
TOILES_CYPHER_USER ?= toiles_lecteur
TOILES_CYPHER_PASSWORD ?= toiles-local-lecteur
export TOILES_NEO4J_PASSWORD TOILES_NEO4J_PORT TOILES_TEST_NEO4J_URL
export TOILES_CYPHER_USER TOILES_CYPHER_PASSWORD

.PHONY: demo test install browser lint typecheck unit clean help

help:
	@echo "make demo   installe et lance la démonstration (toiles demo, fichiers dans ./out)"
	@echo "make test   installe, démarre Neo4j, lance ruff, mypy et toute la suite de tests"

$(PY):
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

# Debian's Chromium, for the browser tests of the interactive pages (needs root or sudo).
browser:
	bash deploy/browser/install.sh

demo: install
	$(VENV)/bin/toiles demo --out out

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: install
	$(VENV)/bin/mypy toiles

unit: install
	$(PY) -m pytest -m "not neo4j"

# The whole suite: lint, types, then every test against the real Neo4j server, which is
# started first and stopped at the end whatever the outcome.
test: install browser
	$(MAKE) --no-print-directory neo4j-start
	status=0; \
	$(MAKE) --no-print-directory lint || status=1; \
	$(MAKE) --no-print-directory typecheck || status=1; \
	TOILES_REQUIRE_NEO4J=1 TOILES_REQUIRE_BROWSER=1 $(PY) -m pytest || status=1; \
	$(MAKE) --no-print-directory neo4j-stop; \
	exit $$status

clean:
	rm -rf out toiles.db build *.egg-info .pytest_cache .mypy_cache .ruff_cache

include deploy/neo4j/neo4j.mk
