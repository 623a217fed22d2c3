# The two commands: `make run` (serve the portal with seed data on SQLite) and `make test` (the whole suite).
SHELL := /bin/bash
.DEFAULT_GOAL := help
PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python

# The first Python >= 3.12 on PATH (pyenv's shim honours .python-version).
PYTHON_BIN := $(shell for p in python3.13 python3.12 python3 python; do \
  if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; \
  then command -v $$p; break; fi; done)

.PHONY: help run test mutation e2e bench lint check-migrations check-deploy clean backup restore

help:
	@echo "make run    — 開発サーバーを起動します (http://127.0.0.1:$(PORT)/)"
	@echo "make test   — テスト一式を実行します"
	@echo "make mutation — 規則のモジュールにミューテーションテストを行います (MODULES=… で選択)"
	@echo "make e2e    — 本番と同じ構成（nginx・アプリ2台・ワーカー）を起動して通しで試験します"
	@echo "make bench  — ベンチマークを実行します"
	@echo "make backup — データベースとアップロードファイルを backups/ に保存します (KEEP=N で古い控えを削除)"
	@echo "make restore BACKUP=path [FORCE=1] — 控えから復元します"

$(VENV)/bin/python:
	@if [ -z "$(PYTHON_BIN)" ]; then \
	  echo "Python 3.12 以上が見つかりません。Python 3.12+ をインストールしてください (Python >= 3.12 required)." >&2; exit 1; fi
	$(PYTHON_BIN) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $@ $(VENV)/.installed

run: $(VENV)/.installed
	@export DEBUG=$${DEBUG:-true} PORTAL_BASE_URL=$${PORTAL_BASE_URL:-http://127.0.0.1:$(PORT)}; \
	  $(PY) manage.py setup && exec $(PY) manage.py runserver 127.0.0.1:$(PORT)

# The W3C Nu HTML checker the browser tests run over every public page (vnu-jar from npm; Java from Debian's
# default-jre-headless).
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts
	@touch $@

test: $(VENV)/.installed-test node_modules/.installed
	$(VENV)/bin/pytest

# Mutation testing of the rule modules (mutation/modules.toml): MODULES=a.py,b.py for some, MUTATION_SINCE=<git ref>
# for those whose code or tests changed; MUTATION_BUDGET=<seconds> bounds the run. Fails under the floor.
mutation: $(VENV)/.installed-test
	$(PY) mutation/run.py $(if $(MODULES),--modules "$(MODULES)") $(if $(MUTATION_SINCE),--since "$(MUTATION_SINCE)")

# The deployment recipe's stack (deploy/) on loopback ports of its own, walked end to end in Chromium.
e2e: $(VENV)/.installed-test
	$(PY) e2e/run.py

bench: $(VENV)/.installed-test
	$(PY) bench/run.py

lint: $(VENV)/.installed-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

check-migrations: $(VENV)/.installed
	$(PY) manage.py makemigrations --check --dry-run

check-deploy: $(VENV)/.installed
	DEBUG=false SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))') \
	  ALLOWED_HOSTS=portal.example.jp PORTAL_BASE_URL=https://portal.example.jp \
	  $(PY) manage.py check --deploy --fail-level WARNING

# Backup and restore (README: "Backups and restore"). Like `make run`, a checkout without .env is a developer's
# machine and gets DEBUG on; otherwise the environment or .env decides.
BACKUP_ENV := if [ -z "$${DEBUG+x}" ] && [ ! -f .env ]; then export DEBUG=true; fi;

backup: $(VENV)/.installed
	@$(BACKUP_ENV) $(PY) manage.py backup $(if $(KEEP),--keep $(KEEP))

restore: $(VENV)/.installed
	@if [ -z "$(BACKUP)" ]; then \
	  echo "復元する控えを BACKUP=path で指定してください (usage: make restore BACKUP=backups/kiyose-YYYYMMDD-HHMMSS.tar.gz [FORCE=1])" >&2; \
	  exit 2; fi
	@$(BACKUP_ENV) $(PY) manage.py restore "$(BACKUP)" $(if $(filter 1 true yes,$(FORCE)),--force)

clean:
	rm -rf $(VENV) node_modules staticfiles .pytest_cache .ruff_cache
